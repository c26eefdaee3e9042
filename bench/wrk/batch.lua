-- A batch: POST WRK_PATH (default /api/readings; /pub for nchan, which keeps the body as one message)
-- with a JSON array of BATCH (default 1,000) readings {"sensor":"bench","value":N}, N different
-- in each of a cycle of 8 bodies. BATCH=1000 WRK_PATH=/api/readings wrk -s bench/wrk/batch.lua URL
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
readings_per_request = tonumber(os.getenv("BATCH") or "1000")
require "count"

function init(args)
   local path = os.getenv("WRK_PATH") or "/api/readings"
   local headers = { ["Content-Type"] = "application/json" }
   for b = 1, 8 do
      local items = {}
      for i = 1, readings_per_request do
         items[i] = string.format('{"sensor":"bench","value":%d}', (id or 1) * 1000000 + b * 10000 + i)
      end
      prepared[b] = wrk.format("POST", path, headers, "[" .. table.concat(items, ",") .. "]")
   end
end
