-- wrk script: every request takes the next URL of the file named by $LINKS (one URL a line), cycling.
-- Used for the "fresh link per request" pattern (10,000 pre-minted signed links), and, for an equal
-- Lua cost on both sides, for the /public baseline of that pattern.
local counter = 0
function setup(thread)
  thread:set("offset", counter * 997)
  counter = counter + 1
end

local links = {}
for line in io.lines(os.getenv("LINKS")) do
  if #line > 0 then links[#links + 1] = line end
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", links[((offset or 0) + i) % #links + 1])
end
