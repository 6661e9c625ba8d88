//! Charts drawn on the server as inline SVG: readable without JavaScript, scaled by the browser, and always next to
//! a table of the same figures for screen readers and for copying. Bars only, so no text needs measuring: the
//! labels sit at fixed places and the legend is HTML.

use leptos::prelude::*;

/// One series of a stacked bar chart: its legend and the CSS class that colours it.
#[derive(Clone)]
pub struct Series {
    pub label: String,
    pub class: &'static str,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// A round number at or above `max`, for the top of the scale.
fn scale_top(max: i64) -> i64 {
    let max = max.max(1);
    let step = 10_i64.pow(max.to_string().len().saturating_sub(1) as u32);
    (max + step - 1) / step * step
}

/// Stacked vertical bars: one per `(label, values)`, each value a series' part, bottom up. `labelledby` names the
/// element that says what the chart shows.
#[component]
pub fn BarChart(
    id: &'static str,
    labelledby: &'static str,
    series: Vec<Series>,
    bars: Vec<(String, Vec<i64>)>,
) -> impl IntoView {
    let top = scale_top(bars.iter().map(|(_, values)| values.iter().sum::<i64>()).max().unwrap_or(0));
    let plot_height = HEIGHT - BOTTOM - TOP;
    let slot = (WIDTH - LEFT) / bars.len().max(1) as f64;
    let y = move |value: i64| TOP + plot_height * (1.0 - value as f64 / top as f64);
    let ticks = [0, top / 2, top];
    let legend = series.clone();
    // Long runs of bars show every other label.
    let every = if bars.len() > 8 { 2 } else { 1 };
    view! {
        <figure class="chart">
            <svg id=id class="bar-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelledby>
                {ticks
                    .into_iter()
                    .map(|tick| view! {
                        <line class="grid" x1=LEFT x2=WIDTH y1=y(tick) y2=y(tick) />
                        <text class="tick" x=LEFT - 6.0 y=y(tick) + 4.0 text-anchor="end">{tick}</text>
                    })
                    .collect_view()}
                {bars
                    .into_iter()
                    .enumerate()
                    .map(|(i, (label, values))| {
                        let x = LEFT + slot * i as f64 + slot * 0.15;
                        let width = slot * 0.7;
                        let mut base = 0;
                        let parts = values
                            .iter()
                            .zip(series.iter())
                            .filter(|(value, _)| **value > 0)
                            .map(|(value, s)| {
                                let (from, to) = (base, base + value);
                                base = to;
                                view! {
                                    <rect class=s.class x=x width=width y=y(to) height=y(from) - y(to)>
                                        <title>{format!("{label}: {} {value}", s.label)}</title>
                                    </rect>
                                }
                            })
                            .collect_view();
                        let shown = i % every == 0;
                        view! {
                            <g data-bar=label.clone()>
                                {parts}
                                {shown.then(|| view! {
                                    <text class="label" x=x + width / 2.0 y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">{label.clone()}</text>
                                })}
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption>
                <ul class="legend">
                    {legend
                        .into_iter()
                        .map(|s| view! { <li><span class=format!("swatch {}", s.class)></span> {s.label}</li> })
                        .collect_view()}
                </ul>
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::scale_top;

    #[test]
    fn the_scale_ends_on_a_round_number_above_the_largest_bar() {
        assert_eq!(scale_top(0), 1);
        assert_eq!(scale_top(7), 7);
        assert_eq!(scale_top(13), 20);
        assert_eq!(scale_top(240), 300);
    }
}
