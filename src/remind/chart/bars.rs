//! One chart panel drawn with plotters: grouped bars over labelled slots (weeks, months,
//! statuses), axes with ticks and titles, a legend when there is more than one series; and the
//! PNG the panels are drawn into.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::ChartFont;
use super::text::TextBackend;

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("drawing the chart: {0}")]
    Draw(String),
    #[error("encoding the chart: {0}")]
    Png(#[from] ::png::EncodingError),
}

fn draw_error(error: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(error.to_string())
}

/// One series of bars: a value per slot.
pub struct Series<'a> {
    pub name: &'a str,
    pub color: RGBColor,
    pub values: &'a [f64],
}

/// A panel: its title, axis titles, one label per slot, the series, and whether the values
/// are counts (whole-number ticks).
pub struct Panel<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub slots: &'a [String],
    pub series: Vec<Series<'a>>,
    pub counts: bool,
}

/// One series per route, citizens (action 10) then staff (action 22), in their colours.
pub fn per_route<'a>(series: impl IntoIterator<Item = (&'a str, &'a [f64])>) -> Vec<Series<'a>> {
    series
        .into_iter()
        .zip([CITIZEN, STAFF])
        .map(|((name, values), color)| Series {
            name,
            color,
            values,
        })
        .collect()
}

pub const CITIZEN: RGBColor = RGBColor(31, 119, 180);
pub const STAFF: RGBColor = RGBColor(255, 127, 14);
pub const STATUS: RGBColor = RGBColor(44, 160, 44);

/// Most slot labels written under an axis; plotters spaces them at 1, 2, 5, 10… slots.
const MAX_X_LABELS: usize = 13;

/// Draws `panel` into `area`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &ChartFont,
    panel: &Panel,
) -> Result<(), ChartError> {
    let slots = panel.slots.len().max(1);
    let peak = panel
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    // Headroom above the highest bar; more where the legend sits in the upper left.
    let headroom = if panel.series.len() > 1 { 0.35 } else { 0.15 };
    let top = if panel.counts {
        (peak.ceil() + (peak * headroom).ceil()).max(1.0)
    } else {
        (peak * (1.0 + headroom)).max(1.0)
    };
    let family = |text: &str| font.family_for(text);
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title, (family(panel.title), 18))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.5..(slots as f64 - 0.5), 0.0..top)
        .map_err(draw_error)?;
    let slot_label = |x: &f64| {
        let at = x.round();
        if (x - at).abs() > 1e-6 || at < 0.0 {
            return String::new();
        }
        panel.slots.get(at as usize).cloned().unwrap_or_default()
    };
    let value_label = |y: &f64| {
        if panel.counts && (y - y.round()).abs() > 1e-6 {
            String::new()
        } else if panel.counts {
            format!("{}", y.round() as i64)
        } else {
            format!("{y:.1}")
        }
    };
    let all_slots = panel.slots.concat();
    let label_family = family(&all_slots);
    let y_labels = if panel.counts {
        (top as usize + 1).min(11)
    } else {
        6
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(if slots <= MAX_X_LABELS {
            slots + 1
        } else {
            MAX_X_LABELS
        })
        .y_labels(y_labels)
        .x_label_formatter(&slot_label)
        .y_label_formatter(&value_label)
        .x_label_style((label_family, 12))
        .y_label_style((label_family, 12))
        .x_desc(panel.x_desc)
        .y_desc(panel.y_desc)
        .axis_desc_style((family(&format!("{}{}", panel.x_desc, panel.y_desc)), 13))
        .draw()
        .map_err(draw_error)?;

    let groups = panel.series.len().max(1) as f64;
    let width = 0.8 / groups;
    for (index, series) in panel.series.iter().enumerate() {
        let color = series.color;
        let offset = -0.4 + width * index as f64;
        let drawn = chart
            .draw_series(series.values.iter().enumerate().map(|(slot, value)| {
                let x0 = slot as f64 + offset;
                Rectangle::new([(x0, 0.0), (x0 + width, *value)], color.filled())
            }))
            .map_err(draw_error)?;
        if panel.series.len() > 1 {
            drawn.label(series.name).legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
            });
        }
    }
    if panel.series.len() > 1 {
        let names: String = panel.series.iter().map(|s| s.name).collect();
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((family(&names), 13))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(draw_error)?;
    }
    Ok(())
}

/// A `width` × `height` PNG of what `paint` draws on a white canvas, its words in `font`.
pub fn png(
    width: u32,
    height: u32,
    font: &ChartFont,
    paint: impl FnOnce(&DrawingArea<TextBackend, Shift>) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    {
        let bitmap = BitMapBackend::with_buffer(&mut pixels, (width, height));
        let root = TextBackend::new(bitmap, font).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        paint(&root)?;
        root.present().map_err(draw_error)?;
    }
    let mut out = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut out, width, height);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}
