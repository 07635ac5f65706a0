"""Charts drawn from checked data: data tables, the SVG kit, layouts, Vega-Lite, views."""
