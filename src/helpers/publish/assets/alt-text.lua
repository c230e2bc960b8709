-- Images carry their long description in `fig-alt` (Quarto's attribute); pandoc's HTML
-- writer takes `alt` from an attribute of that name, so copy it across.
function Image(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    img.attributes["alt"] = alt
    img.attributes["fig-alt"] = nil
  end
  return img
end
