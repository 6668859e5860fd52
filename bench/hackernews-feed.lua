-- bench/hackernews-feed.lua: wrk requests for the Hackernews feed, each
-- a POST of one page of 50 links.
--
--   HN_SCENARIO=flat     id url description createdAt of each link
--   HN_SCENARIO=nested   the same with postedBy { name } and
--                        votes { user { name } }
--   HN_PAGE=first        the first 50 links (skip 0)
--   HN_PAGE=random       50 links at a random offset of the 10,000, so
--                        that the database does not answer the same rows
--                        every time (and pages past thousands of them)
--   HN_BODY=JSON         this body instead, every time (bench/persisted:
--                        a document's text, or its id)

local queries = {
  flat = "query ($s: Int) { feed(skip: $s, take: 50) "
      .. "{ links { id url description createdAt } } }",
  nested = "query ($s: Int) { feed(skip: $s, take: 50) "
      .. "{ links { id url description createdAt postedBy { name } "
      .. "votes { user { name } } } } }",
}

local fixed = os.getenv("HN_BODY")
local scenario = os.getenv("HN_SCENARIO") or "flat"
local query = assert(queries[scenario], "unknown HN_SCENARIO " .. scenario)
local random_page = (os.getenv("HN_PAGE") or "first") == "random"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(seed or os.time())
end

request = function()
  if fixed then
    return wrk.format(nil, nil, nil, fixed)
  end
  local body = string.format('{"query":"%s","variables":{"s":%d}}',
                             query,
                             random_page and math.random(0, 9950) or 0)
  return wrk.format(nil, nil, nil, body)
end

-- Count answers that are not 200 or carry errors: a benchmark of errors
-- measures nothing, so bench/hackernews says how many there were.
bad = 0
response = function(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do
    n = n + t:get("bad")
  end
  io.write(string.format("Bad answers: %d\n", n))
end
