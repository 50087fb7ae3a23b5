/** SVG → PNG with resvg, at the SVG's own size (the widget's width × height in pixels). */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: {
      // System fonts, with DejaVu (present on most Linux images) standing in for the generic
      // family ECharts writes.
      loadSystemFonts: true,
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}
