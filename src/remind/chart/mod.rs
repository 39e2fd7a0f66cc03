//! The charts, drawn in-process with plotters: the digest's (consultations per week of the
//! fiscal year for actions 10 and 22, actions per status) and the annual report's
//! (consultations received per month, median hours to accept). Labels come from the prompts;
//! the font is bundled (see `font`).

pub mod bars;
pub mod font;

use chrono::Duration;

pub use self::bars::ChartError;
use self::bars::{Panel, Series, CITIZEN, STAFF, STATUS};
pub use self::font::{find_font, ChartFont};
use super::digest::Digest;
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
        let mut all = [
            &self.weekly_title,
            &self.citizen,
            &self.staff,
            &self.status_title,
            &self.week_axis,
            &self.count_axis,
        ]
        .map(String::as_str)
        .concat();
        all.extend(self.statuses.iter().map(String::as_str));
        all
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
    bars::png(WIDTH, HEIGHT, |root| {
        let (left, right) = root.split_horizontally(SPLIT);
        bars::draw(
            &left,
            font,
            &Panel {
                title: &labels.weekly_title,
                x_desc: &labels.week_axis,
                y_desc: &labels.count_axis,
                slots: &week_labels,
                series: weekly
                    .iter()
                    .zip(names)
                    .zip([CITIZEN, STAFF])
                    .map(|((values, name), color)| Series {
                        name,
                        color,
                        values,
                    })
                    .collect(),
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
        let mut all = [
            &self.received_title,
            &self.wait_title,
            &self.month_axis,
            &self.count_axis,
            &self.hours_axis,
        ]
        .map(String::as_str)
        .concat();
        all.extend(self.months.iter().map(String::as_str));
        all.extend(self.routes.iter().map(|(name, _, _)| name.as_str()));
        all
    }
}

/// The annual report chart as a PNG.
pub fn render_monthly(chart: &MonthlyChart, font: &ChartFont) -> Result<Vec<u8>, ChartError> {
    let colors = [CITIZEN, STAFF];
    bars::png(WIDTH, HEIGHT, |root| {
        let (left, right) = root.split_horizontally(WIDTH / 2);
        bars::draw(
            &left,
            font,
            &Panel {
                title: &chart.received_title,
                x_desc: &chart.month_axis,
                y_desc: &chart.count_axis,
                slots: &chart.months,
                series: chart
                    .routes
                    .iter()
                    .zip(colors)
                    .map(|((name, received, _), color)| Series {
                        name,
                        color,
                        values: received,
                    })
                    .collect(),
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
                series: chart
                    .routes
                    .iter()
                    .zip(colors)
                    .map(|((name, _, hours), color)| Series {
                        name,
                        color,
                        values: hours,
                    })
                    .collect(),
                counts: false,
            },
        )
    })
}
