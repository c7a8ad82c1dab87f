-- wrk script for `make bench`: replay prepared requests round-robin, report JSON.
--
-- Usage: wrk ... -s bench/requests.lua <url> -- <requests file> [check]
-- The requests file has one request per line: METHOD <TAB> path <TAB> cookies <TAB> body.
-- Cookies are sent as an explicit Cookie header: the app's production cookies are
-- Secure with __Host- names, and the bench talks plain http to 127.0.0.1.
-- With "check", every status other than 200/303 is counted as unexpected (costs a
-- little: wrk then hands each response to Lua), used for the POST measurements.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local requests = {}
local position = 0
local checking = false

local function split(line)
   local out = {}
   for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(out, field)
   end
   return out
end

function init(args)
   local file = assert(io.open(args[1], "r"))
   for line in file:lines() do
      if line ~= "" then
         local f = split(line)
         local headers = {}
         if f[3] ~= nil and f[3] ~= "" then headers["Cookie"] = f[3] end
         local body = f[4]
         if body == "" then body = nil end
         if body ~= nil then
            headers["Content-Type"] = "application/x-www-form-urlencoded"
         end
         table.insert(requests, wrk.format(f[1], f[2], headers, body))
      end
   end
   file:close()
   -- Threads start at different places in the list.
   position = ((id or 1) - 1) * math.floor(#requests / 2)
   checking = args[2] == "check"
   unexpected = 0
   if not checking then response = nil end
end

function request()
   position = position % #requests + 1
   return requests[position]
end

function response(status, headers, body)
   if status ~= 200 and status ~= 303 then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local unexpected_total = 0
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + (thread:get("unexpected") or 0)
   end
   local p = {}
   for _, q in ipairs({50, 75, 90, 95, 99, 99.9}) do
      table.insert(p, string.format('"%s": %.3f', tostring(q), latency:percentile(q) / 1000))
   end
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_s": %.6f, "rps": %.2f, ' ..
      '"latency_ms": {%s, "mean": %.3f, "max": %.3f}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"unexpected_status": %d}\n',
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      table.concat(p, ", "), latency.mean / 1000, latency.max / 1000,
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout, unexpected_total))
end
