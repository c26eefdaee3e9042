-- nchan's publisher (bench/nchan.conf: POST /pub, one channel): one small JSON reading per message,
-- the value different in each request of a cycle of 1,000. wrk -s bench/wrk/nchan.lua URL
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "count"

function init(args)
   local headers = { ["Content-Type"] = "application/json" }
   for i = 1, 1000 do
      prepared[i] = wrk.format("POST", "/pub", headers,
         string.format('{"sensor":"luminosity","value":%d}', (id or 1) * 1000000 + i))
   end
end
