-- The original device's request, GET /luminosity/N, N different in each request of a cycle of 1,000
-- (ours, its 1942c92 baseline and the original Bottle server). wrk -s bench/wrk/legacy.lua URL
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require "count"

function init(args)
   for i = 1, 1000 do
      prepared[i] = wrk.format("GET", "/luminosity/" .. ((id or 1) * 1000000 + i))
   end
end
