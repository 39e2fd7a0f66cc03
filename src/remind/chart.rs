//! The digest's chart, drawn in-process (no browser): consultations per week for actions 10
//! and 22 over the fiscal year, and how many actions are in each status. Labels use a system
//! font: Japanese with a CJK font (configured, or installed from Debian's packages), English
//! with a Latin one; with no font at all the chart is drawn without words.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontArc, PxScale, ScaleFont};

use super::digest::Digest;

/// Fonts looked for when none is configured, CJK first.
const CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
];
const LATIN_FONTS: &[&str] = &["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"];

#[derive(Clone)]
pub struct ChartFont {
    font: FontArc,
    /// It draws Japanese: labels can be Japanese.
    pub japanese: bool,
}

fn load(path: &Path) -> Option<FontArc> {
    let bytes = std::fs::read(path).ok()?;
    FontArc::try_from_vec(bytes).ok()
}

/// The configured font if it loads, else the first system font found.
pub fn find_font(configured: Option<&Path>) -> Option<ChartFont> {
    let candidates = configured
        .map(Path::to_path_buf)
        .into_iter()
        .chain(CJK_FONTS.iter().chain(LATIN_FONTS).map(PathBuf::from));
    for path in candidates {
        if let Some(font) = load(&path) {
            let japanese = ['相', '談', 'ア'].iter().all(|c| font.glyph_id(*c).0 != 0);
            return Some(ChartFont { font, japanese });
        }
    }
    None
}

/// The words on the chart, in the language its font can draw.
pub struct Labels {
    pub weekly_title: String,
    pub citizen: String,
    pub staff: String,
    pub status_title: String,
    pub statuses: Vec<String>,
}

const WIDTH: u32 = 960;
const HEIGHT: u32 = 420;
const WHITE: [u8; 3] = [255, 255, 255];
const INK: [u8; 3] = [40, 40, 40];
const GRID: [u8; 3] = [220, 220, 220];
const CITIZEN: [u8; 3] = [31, 119, 180];
const STAFF: [u8; 3] = [255, 127, 14];
const BAR: [u8; 3] = [44, 160, 44];

struct Canvas {
    pixels: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        Canvas {
            pixels: WHITE.repeat((WIDTH * HEIGHT) as usize),
        }
    }

    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], alpha: f32) {
        if x < 0 || y < 0 || x >= i64::from(WIDTH) || y >= i64::from(HEIGHT) {
            return;
        }
        let at = ((y as u32 * WIDTH + x as u32) * 3) as usize;
        for (i, c) in color.iter().enumerate() {
            let old = f32::from(self.pixels[at + i]);
            self.pixels[at + i] =
                (old + (f32::from(*c) - old) * alpha.clamp(0.0, 1.0)).round() as u8;
        }
    }

    fn rect(&mut self, x0: i64, y0: i64, x1: i64, y1: i64, color: [u8; 3]) {
        for y in y0.min(y1)..=y0.max(y1) {
            for x in x0.min(x1)..=x0.max(x1) {
                self.blend(x, y, color, 1.0);
            }
        }
    }

    /// A line two pixels wide.
    fn line(&mut self, (x0, y0): (i64, i64), (x1, y1): (i64, i64), color: [u8; 3]) {
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).max(1);
        for s in 0..=steps {
            let x = x0 + (x1 - x0) * s / steps;
            let y = y0 + (y1 - y0) * s / steps;
            self.rect(x, y, x + 1, y + 1, color);
        }
    }

    fn text(
        &mut self,
        font: Option<&ChartFont>,
        size: f32,
        x: f32,
        baseline: f32,
        text: &str,
        color: [u8; 3],
    ) {
        let Some(font) = font else {
            return;
        };
        let scaled = font.font.as_scaled(PxScale::from(size));
        let mut pen = x;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            let glyph =
                id.with_scale_and_position(PxScale::from(size), ab_glyph::point(pen, baseline));
            pen += scaled.h_advance(id);
            if let Some(outlined) = font.font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                outlined.draw(|gx, gy, coverage| {
                    self.blend(
                        bounds.min.x as i64 + i64::from(gx),
                        bounds.min.y as i64 + i64::from(gy),
                        color,
                        coverage,
                    );
                });
            }
        }
    }

    fn png(self) -> Result<Vec<u8>, png::EncodingError> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&self.pixels)?;
        }
        Ok(out)
    }
}

/// The chart as a PNG.
pub fn render(
    digest: &Digest,
    labels: &Labels,
    font: Option<&ChartFont>,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut canvas = Canvas::new();
    // Left: consultations per week, one line per route.
    let (left, top, right, bottom) = (60i64, 50i64, 600i64, 370i64);
    canvas.text(font, 18.0, left as f32, 30.0, &labels.weekly_title, INK);
    let weeks = digest
        .routes
        .iter()
        .map(|r| r.weekly.len())
        .max()
        .unwrap_or(0)
        .max(1);
    // Whole-number gridlines, at most five: the axis top is a multiple of the step.
    let peak = digest
        .routes
        .iter()
        .flat_map(|r| r.weekly.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = (peak + 3) / 4;
    let highest = step * ((peak + step - 1) / step);
    let mut value = 0;
    while value <= highest {
        let y = bottom - (bottom - top) * value / highest;
        canvas.line((left, y), (right, y), GRID);
        canvas.text(font, 12.0, 20.0, y as f32 + 4.0, &value.to_string(), INK);
        value += step;
    }
    canvas.line((left, top), (left, bottom), INK);
    canvas.line((left, bottom), (right, bottom), INK);
    let x_of = |w: usize| left + (right - left) * w as i64 / (weeks.max(2) - 1) as i64;
    let y_of = |v: i64| bottom - (bottom - top) * v / highest;
    for (route, color, name) in digest
        .routes
        .iter()
        .zip([CITIZEN, STAFF])
        .zip([&labels.citizen, &labels.staff])
        .map(|((r, c), n)| (r, c, n))
    {
        for (w, pair) in route.weekly.windows(2).enumerate() {
            canvas.line(
                (x_of(w), y_of(pair[0])),
                (x_of(w + 1), y_of(pair[1])),
                color,
            );
        }
        if route.weekly.len() == 1 {
            canvas.rect(
                x_of(0) - 2,
                y_of(route.weekly[0]) - 2,
                x_of(0) + 2,
                y_of(route.weekly[0]) + 2,
                color,
            );
        }
        let legend_y = if color == CITIZEN { 395 } else { 413 };
        canvas.rect(left, legend_y - 9, left + 14, legend_y - 2, color);
        canvas.text(font, 13.0, (left + 20) as f32, legend_y as f32, name, INK);
    }
    // Right: actions per status.
    let (bar_left, bar_right) = (760i64, 900i64);
    canvas.text(font, 18.0, 640.0, 30.0, &labels.status_title, INK);
    let most = digest
        .status_counts
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    for (i, ((_, count), label)) in digest
        .status_counts
        .iter()
        .zip(&labels.statuses)
        .enumerate()
    {
        let y = 70 + i as i64 * 56;
        canvas.text(font, 14.0, 640.0, (y + 20) as f32, label, INK);
        let end = bar_left + (bar_right - bar_left) * count / most;
        canvas.rect(bar_left, y, end.max(bar_left + 1), y + 28, BAR);
        canvas.text(
            font,
            13.0,
            (end + 6) as f32,
            (y + 20) as f32,
            &count.to_string(),
            INK,
        );
    }
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::progress::Status;
    use crate::remind::digest::{Figures, RouteFigures};

    fn digest() -> Digest {
        Digest {
            lang: crate::lang::Lang::En,
            schedule: "w".into(),
            due: "2026-06-01 09:00 JST".into(),
            late: false,
            fiscal_year: 2026,
            visions: Vec::new(),
            stale_owners: Vec::new(),
            routes: vec![
                RouteFigures {
                    action: 10,
                    week: Figures::default(),
                    fiscal_year: Figures::default(),
                    weekly: vec![1, 3, 2, 5],
                },
                RouteFigures {
                    action: 22,
                    week: Figures::default(),
                    fiscal_year: Figures::default(),
                    weekly: vec![0, 1, 1, 2],
                },
            ],
            status_counts: Status::ALL.iter().map(|s| (*s, 4)).collect(),
            unmet_searches: Vec::new(),
        }
    }

    fn labels() -> Labels {
        Labels {
            weekly_title: "Consultations per week".into(),
            citizen: "Action 10".into(),
            staff: "Action 22".into(),
            status_title: "Actions by status".into(),
            statuses: Status::ALL
                .iter()
                .map(|s| s.label(crate::lang::Lang::En).to_string())
                .collect(),
        }
    }

    #[test]
    fn the_chart_is_a_png_of_the_right_size_with_the_lines_drawn() {
        let bytes = render(&digest(), &labels(), find_font(None).as_ref()).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        let count = |color: [u8; 3]| pixels.chunks(3).filter(|p| *p == color).count();
        assert!(
            count(CITIZEN) > 100 && count(STAFF) > 100,
            "both routes are drawn"
        );
        assert!(count(BAR) > 1000, "status bars are drawn");
    }

    #[test]
    fn without_a_font_the_chart_is_still_drawn() {
        assert!(render(&digest(), &labels(), None)
            .unwrap()
            .starts_with(b"\x89PNG"));
    }
}
