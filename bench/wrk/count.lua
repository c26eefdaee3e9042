-- Shared by the wrk scripts of bench/compare.sh: counts 2xx and other statuses in each thread
-- (response()), gathers them in done() with the setup()/thread:get pattern, prints each thread's
-- counts and one line "wrk-json {...}" that compare.sh adds its CPU figures to.
-- A script sets readings_per_request (1 unless it sends batches) before requiring this file.
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

ok, other, statuses = 0, 0, {}

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   else
      other = other + 1
   end
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local all_ok, all_other, all_statuses = 0, 0, {}
   for i, thread in ipairs(threads) do
      local t_ok, t_other = thread:get("ok"), thread:get("other")
      io.write(string.format("thread %d: %d 2xx, %d other statuses\n", i, t_ok, t_other))
      all_ok, all_other = all_ok + t_ok, all_other + t_other
      for status, count in pairs(thread:get("statuses")) do
         all_statuses[status] = (all_statuses[status] or 0) + count
      end
   end
   local codes = {}
   for status, count in pairs(all_statuses) do
      table.insert(codes, string.format('"%d":%d', status, count))
   end
   table.sort(codes)
   local e = summary.errors
   io.write(string.format(
      'wrk-json {"requests":%d,"durationUs":%d,"bytes":%d,"ok2xx":%d,"non2xx":%d,' ..
      '"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"statusAbove399":%d,' ..
      '"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"readingsPerRequest":%d,"statuses":{%s}}\n',
      summary.requests, summary.duration, summary.bytes, all_ok, all_other,
      e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      readings_per_request or 1, table.concat(codes, ",")))
end

-- Each thread's init() fills prepared; request() cycles through it, since building every request
-- in Lua would cost wrk more CPU than the servers spend answering it. request is defined here, at
-- the top, because wrk decides from the main script state whether to call it at all.
prepared = {}
local n = 0

function request()
   n = n % #prepared + 1
   return prepared[n]
end
