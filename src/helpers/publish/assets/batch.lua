-- Many conversions in one pandoc process (`pandoc lua batch.lua JOBS`): each line of the
-- job file is "from<TAB>to<TAB>input<TAB>output". A document that fails names its file.
for line in io.lines(arg[1]) do
  local from, to, input, output = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.+)$")
  local ok, err = pcall(function()
    local f = assert(io.open(input, "rb"))
    local text = f:read("a")
    f:close()
    local out = pandoc.write(pandoc.read(text, from), to)
    local g = assert(io.open(output, "wb"))
    g:write(out)
    g:close()
  end)
  if not ok then
    io.stderr:write(input .. ": " .. tostring(err) .. "\n")
    os.exit(1)
  end
end
