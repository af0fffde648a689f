// Rift's script API in Lua, written in Lua: `ctx` (its state handles call the host through
// standin_call, which may yield while Redis answers) and the result constructors. Run once per
// script, before the script's own chunk.
export const LUA_PRELUDE = `
local call, log = standin_call, standin_log
standin_call, standin_log = nil, nil
local METHODS = { "get", "get_or", "getOr", "set", "incr", "incr_by", "incrBy", "exists", "delete", "ttl", "clear", "cas" }
local function handle(flow)
  local h = {}
  for _, m in ipairs(METHODS) do
    -- Called with ':' (the handle first) or with '.'.
    h[m] = function(a, ...)
      if a == h then return call(flow, m, ...) end
      return call(flow, m, a, ...)
    end
  end
  return h
end
local HTTP = {}
HTTP.__index = HTTP
function HTTP.header(self, name, value)
  local headers = {}
  for i, pair in ipairs(self.headers) do headers[i] = pair end
  headers[#headers + 1] = { name, tostring(value) }
  return setmetatable({ standin_result = "http", status = self.status, body = self.body, headers = headers }, HTTP)
end
function http(status, body)
  return setmetatable({ standin_result = "http", status = status, body = body, headers = {} }, HTTP)
end
function delay(ms) return { standin_result = "delay", ms = ms } end
function reset() return { standin_result = "reset" } end
function pass() return { standin_result = "pass" } end
local function getter(message)
  return function(a, b)
    local name = b
    if type(a) ~= "table" then name = a end
    return message.headers[string.lower(tostring(name))]
  end
end
function standin_ctx(ctx)
  ctx.state = handle(false)
  ctx.store = {}
  ctx.store.flow = function(a, b)
    if a == ctx.store then return handle(tostring(b)) end
    return handle(tostring(a))
  end
  ctx.request.header = getter(ctx.request)
  if ctx.response then ctx.response.header = getter(ctx.response) end
  ctx.logger = {}
  for _, level in ipairs({ "debug", "info", "warn", "error" }) do
    ctx.logger[level] = function(a, b)
      if a == ctx.logger then return log(level, tostring(b)) end
      return log(level, tostring(a))
    end
  end
  return ctx
end
`;
