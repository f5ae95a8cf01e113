-- wrk script for the b3scale bench: cycles through a file of request paths, stops after a
-- number of requests, optionally paces connections to a target rate, and prints its result
-- as one JSON line. Settings come from the environment (read at the top level, so wrk's
-- main state sees the same ones as each thread's):
--   B3S_PATHS     file with one request path per line (each thread takes every n-th)
--   B3S_THREADS   wrk's -t
--   B3S_MAX       requests in all (each thread stops after its share)
--   B3S_RATE      requests per second in all; 0 = as fast as possible
--   B3S_CONNS     wrk's -c (to spread the rate over connections)
-- No response() function: defining one makes wrk build a Lua table per response, which
-- would cost the load generator more than the servers it measures.

local paths_file = os.getenv("B3S_PATHS")
local threads = tonumber(os.getenv("B3S_THREADS") or "1")
local max_total = tonumber(os.getenv("B3S_MAX") or "0")
local rate = tonumber(os.getenv("B3S_RATE") or "0")
local conns = tonumber(os.getenv("B3S_CONNS") or "1")

local next_id = 0
function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
end

local requests = {}
local count = 0
local limit = 0
local sent = 0

function init(args)
   local all = {}
   for line in io.lines(paths_file) do
      if line ~= "" then all[#all + 1] = line end
   end
   -- Unique paths (creates) are dealt out; a file shorter than the thread count is shared.
   for i, path in ipairs(all) do
      if #all < threads or (i - 1) % threads == id then
         requests[#requests + 1] = wrk.format("GET", path)
      end
   end
   if #requests == 0 then
      error("no request path for thread " .. id .. " in " .. paths_file)
   end
   limit = math.floor(max_total / threads)
   math.randomseed(os.time() * 1000 + id)
end

function request()
   sent = sent + 1
   if limit > 0 and sent > limit then
      wrk.thread:stop()
   end
   count = count % #requests + 1
   return requests[count]
end

if rate > 0 then
   -- Each connection waits an exponentially distributed gap (mean conns/rate) before its next
   -- request: Poisson arrivals at `rate` overall. wrk takes whole milliseconds, so the gap is
   -- rounded up or down at random in proportion, which keeps the mean exact.
   local mean_ms = conns / rate * 1000.0
   function delay()
      local gap = -math.log(1.0 - math.random()) * mean_ms
      local whole = math.floor(gap)
      if math.random() < gap - whole then whole = whole + 1 end
      return whole
   end
end

function done(summary, latency, requests_)
   local e = summary.errors
   io.write(string.format(
      '{"b3s_wrk":1,"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9), latency.max))
end
