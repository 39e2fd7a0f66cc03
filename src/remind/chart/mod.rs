//! The charts, drawn in-process with plotters: the digest's (consultations per week of the
//! fiscal year for actions 10 and 22, actions per status) and the annual report's
//! (consultations received per month, median hours to accept). Labels come from the prompts;
//! the font is bundled (see `font`).

pub mod bars;
pub mod font;
pub mod text;

use chrono::Duration;

pub use self::bars::ChartError;
use self::bars::{Panel, Series, STATUS};
pub use self::font::{find_font, ChartFont};
use super::digest::Digest;
use crate::lang::Lang;
use crate::plan::fiscal::bounds;

/// The digest chart's words, in the language its font can draw.
pub struct Labels {
    pub weekly_title: String,
    pub citizen: String,
    pub staff: String,
    pub status_title: String,
    pub statuses: Vec<String>,
    pub week_axis: String,
    pub count_axis: String,
}

impl Labels {
    /// Every word on the chart, to check a font draws them.
    pub fn words(&self) -> String {
        [
            &self.weekly_title,
            &self.citizen,
            &self.staff,
            &self.status_title,
            &self.week_axis,
            &self.count_axis,
        ]
        .into_iter()
        .chain(&self.statuses)
        .map(String::as_str)
        .collect()
    }
}

/// A chart's words built in `lang` when a font at hand draws them all, else in English
/// (which the bundled font always draws).
pub fn words_in_drawable_lang<T>(
    lang: Lang,
    font: &ChartFont,
    build: impl Fn(Lang) -> T,
    words: impl Fn(&T) -> String,
) -> T {
    let chosen = build(lang);
    if font.covers(&words(&chosen)) {
        chosen
    } else {
        build(Lang::En)
    }
}

const WIDTH: u32 = 1100;
const HEIGHT: u32 = 460;
/// Where the left panel ends.
const SPLIT: u32 = 700;

/// The digest chart as a PNG: weekly bars labelled with each week's first day (M/D).
pub fn render(digest: &Digest, labels: &Labels, font: &ChartFont) -> Result<Vec<u8>, ChartError> {
    let weeks = digest
        .routes
        .iter()
        .map(|r| r.weekly.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let (first_day, _) = bounds(digest.fiscal_year);
    let week_labels: Vec<String> = (0..weeks)
        .map(|w| {
            (first_day + Duration::weeks(w as i64))
                .format("%-m/%-d")
                .to_string()
        })
        .collect();
    let as_f64 = |v: &[i64]| v.iter().map(|n| *n as f64).collect::<Vec<f64>>();
    let weekly: Vec<Vec<f64>> = digest.routes.iter().map(|r| as_f64(&r.weekly)).collect();
    let names = [&labels.citizen, &labels.staff];
    let statuses: Vec<f64> = digest
        .status_counts
        .iter()
        .map(|(_, n)| *n as f64)
        .collect();
    bars::png(WIDTH, HEIGHT, font, |root| {
        let (left, right) = root.split_horizontally(SPLIT);
        bars::draw(
            &left,
            font,
            &Panel {
                title: &labels.weekly_title,
                x_desc: &labels.week_axis,
                y_desc: &labels.count_axis,
                slots: &week_labels,
                series: bars::per_route(
                    names
                        .into_iter()
                        .map(String::as_str)
                        .zip(weekly.iter().map(Vec::as_slice)),
                ),
                counts: true,
            },
        )?;
        bars::draw(
            &right,
            font,
            &Panel {
                title: &labels.status_title,
                x_desc: "",
                y_desc: &labels.count_axis,
                slots: &labels.statuses,
                series: vec![Series {
                    name: &labels.status_title,
                    color: STATUS,
                    values: &statuses,
                }],
                counts: true,
            },
        )
    })
}

/// The annual report chart's words and series: one slot per month, per route the received
/// counts and the median hours to accept (0 where nothing was accepted).
pub struct MonthlyChart {
    pub months: Vec<String>,
    pub received_title: String,
    pub wait_title: String,
    pub month_axis: String,
    pub count_axis: String,
    pub hours_axis: String,
    /// (legend, received per month, median hours per month), citizens then staff.
    pub routes: Vec<(String, Vec<f64>, Vec<f64>)>,
}

impl MonthlyChart {
    /// Every word on the chart, to check a font draws them.
    pub fn words(&self) -> String {
        [
            &self.received_title,
            &self.wait_title,
            &self.month_axis,
            &self.count_axis,
            &self.hours_axis,
        ]
        .into_iter()
        .chain(&self.months)
        .chain(self.routes.iter().map(|(name, _, _)| name))
        .map(String::as_str)
        .collect()
    }
}

/// The annual report chart as a PNG.
pub fn render_monthly(chart: &MonthlyChart, font: &ChartFont) -> Result<Vec<u8>, ChartError> {
    bars::png(WIDTH, HEIGHT, font, |root| {
        let (left, right) = root.split_horizontally(WIDTH / 2);
        bars::draw(
            &left,
            font,
            &Panel {
                title: &chart.received_title,
                x_desc: &chart.month_axis,
                y_desc: &chart.count_axis,
                slots: &chart.months,
                series: bars::per_route(
                    chart
                        .routes
                        .iter()
                        .map(|(name, received, _)| (name.as_str(), received.as_slice())),
                ),
                counts: true,
            },
        )?;
        bars::draw(
            &right,
            font,
            &Panel {
                title: &chart.wait_title,
                x_desc: &chart.month_axis,
                y_desc: &chart.hours_axis,
                slots: &chart.months,
                series: bars::per_route(
                    chart
                        .routes
                        .iter()
                        .map(|(name, _, hours)| (name.as_str(), hours.as_slice())),
                ),
                counts: false,
            },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::bars::{CITIZEN, STAFF};
    use super::*;
    use crate::lang::Lang;
    use crate::plan::progress::Status;
    use crate::remind::digest::{Figures, RouteFigures};

    fn digest(citizen: Vec<i64>, staff: Vec<i64>) -> Digest {
        let route = |action, weekly| RouteFigures {
            action,
            week: Figures::default(),
            fiscal_year: Figures::default(),
            weekly,
        };
        Digest {
            lang: Lang::Ja,
            schedule: "w".into(),
            due: "2026-06-01 09:00 JST".into(),
            late: false,
            fiscal_year: 2026,
            visions: Vec::new(),
            stale_owners: Vec::new(),
            routes: vec![route(10, citizen), route(22, staff)],
            status_counts: Status::ALL.iter().map(|s| (*s, 4)).collect(),
            unmet_searches: Vec::new(),
        }
    }

    fn labels(title: &str) -> Labels {
        Labels {
            weekly_title: title.into(),
            citizen: "アクション10（市民）".into(),
            staff: "アクション22（庁内）".into(),
            status_title: "アクションの状況".into(),
            statuses: Status::ALL
                .iter()
                .map(|s| s.label(Lang::Ja).to_string())
                .collect(),
            week_axis: "週（開始日）".into(),
            count_axis: "件数".into(),
        }
    }

    fn pixels(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = ::png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).unwrap();
        (info.width, info.height, pixels)
    }

    fn count(pixels: &[u8], color: plotters::style::RGBColor) -> usize {
        pixels
            .chunks(3)
            .filter(|p| *p == [color.0, color.1, color.2])
            .count()
    }

    #[test]
    fn weekly_bars_for_both_routes_and_status_bars_are_drawn() {
        let font = find_font(None).unwrap();
        let png = render(
            &digest(vec![1, 3, 2, 5], vec![0, 1, 1, 2]),
            &labels("相談件数"),
            &font,
        )
        .unwrap();
        let (width, height, pixels) = pixels(&png);
        assert_eq!((width, height), (WIDTH, HEIGHT));
        assert!(count(&pixels, CITIZEN) > 2000 && count(&pixels, STAFF) > 500);
        assert!(count(&pixels, STATUS) > 5000, "status bars");
    }

    #[test]
    fn a_single_week_is_a_bar_not_a_spike() {
        let font = find_font(None).unwrap();
        let png = render(&digest(vec![3], vec![1]), &labels("相談件数"), &font).unwrap();
        let (_, _, pixels) = pixels(&png);
        assert!(
            count(&pixels, CITIZEN) > 10_000,
            "{}",
            count(&pixels, CITIZEN)
        );
    }

    #[test]
    fn japanese_labels_are_drawn_with_the_bundled_font() {
        let font = find_font(None).unwrap();
        let data = digest(vec![1, 2], vec![0, 1]);
        let with = pixels(&render(&data, &labels("相談件数（週ごと）"), &font).unwrap()).2;
        let without = pixels(&render(&data, &labels(""), &font).unwrap()).2;
        // The title row (top 30 pixels of the left panel) differs only by the drawn words.
        let row = |p: &[u8]| -> usize {
            (0..30)
                .flat_map(|y| (0..SPLIT).map(move |x| ((y * WIDTH + x) * 3) as usize))
                .filter(|at| p[*at] < 128)
                .count()
        };
        assert_eq!(row(&without), 0);
        assert!(row(&with) > 100, "{}", row(&with));
    }
}
