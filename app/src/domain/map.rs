//! The offline world map's geometry, shared by the server (which renders the first view) and the browser (which
//! pans and zooms): an equirectangular projection in units of 1/100 degree, the view that fits a set of points, and
//! the clustering of pins that would overlap at a zoom level. The outlines themselves are a static SVG built from
//! Natural Earth (`app/build/geodata.rs`) in the same projection.

/// Map units per degree (the build script draws the outlines with the same scale).
pub const UNITS_PER_DEGREE: f64 = 100.0;
/// The whole world, in map units.
pub const WORLD_WIDTH: f64 = 360.0 * UNITS_PER_DEGREE;
pub const WORLD_HEIGHT: f64 = 180.0 * UNITS_PER_DEGREE;
/// The map's width on screen that clustering assumes (the map is drawn at most this wide).
pub const SCREEN_WIDTH: f64 = 960.0;
/// The map's shape: width / height of the drawn view.
pub const ASPECT: f64 = 2.0;
/// Pins closer than this on screen, in pixels, are drawn as one cluster.
pub const CLUSTER_PIXELS: f64 = 28.0;
/// The narrowest view, in map units (0.05°, some 5 km): enough to tell apart pins a few hundred metres apart.
pub const MIN_VIEW_WIDTH: f64 = 0.05 * UNITS_PER_DEGREE;
/// The narrowest view that [`View::fit`] chooses (about 1.6°): a city with its surroundings.
pub const FIT_MIN_WIDTH: f64 = 1.6 * UNITS_PER_DEGREE;

/// (x, y) in map units of a latitude and longitude: x grows east from the antimeridian, y south from the pole.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    ((lon + 180.0) * UNITS_PER_DEGREE, (90.0 - lat) * UNITS_PER_DEGREE)
}

/// The latitude and longitude of a map point, kept on the globe.
pub fn unproject(x: f64, y: f64) -> (f64, f64) {
    let lat = (90.0 - y / UNITS_PER_DEGREE).clamp(-90.0, 90.0);
    let lon = (x / UNITS_PER_DEGREE - 180.0).clamp(-180.0, 180.0);
    (lat, lon)
}

/// The part of the map shown: its centre and width in map units (the height follows from [`ASPECT`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct View {
    pub cx: f64,
    pub cy: f64,
    pub width: f64,
}

impl View {
    /// The whole world.
    pub fn world() -> Self {
        Self { cx: WORLD_WIDTH / 2.0, cy: WORLD_HEIGHT / 2.0, width: WORLD_WIDTH }
    }

    /// The smallest view showing every point with a margin, never closer than [`FIT_MIN_WIDTH`]; the world when
    /// there are none.
    pub fn fit(points: &[(f64, f64)]) -> Self {
        Self::fit_within(points, FIT_MIN_WIDTH)
    }

    /// The smallest view showing every point with a margin, never narrower than `min_width`.
    pub fn fit_within(points: &[(f64, f64)], min_width: f64) -> Self {
        let Some(&(x0, y0)) = points.first() else { return Self::world() };
        let (mut min_x, mut max_x, mut min_y, mut max_y) = (x0, x0, y0, y0);
        for &(x, y) in points {
            (min_x, max_x, min_y, max_y) = (min_x.min(x), max_x.max(x), min_y.min(y), max_y.max(y));
        }
        let width = ((max_x - min_x).max((max_y - min_y) * ASPECT) * 1.3).max(min_width);
        Self { cx: (min_x + max_x) / 2.0, cy: (min_y + max_y) / 2.0, width }.clamped()
    }

    pub fn height(&self) -> f64 {
        self.width / ASPECT
    }

    /// Zoomed by `factor` (> 1 closer) around the map point (`x`, `y`), which stays where it is on screen.
    pub fn zoomed(&self, factor: f64, x: f64, y: f64) -> Self {
        let width = (self.width / factor).clamp(MIN_VIEW_WIDTH, WORLD_WIDTH);
        let kept = width / self.width;
        Self { cx: x + (self.cx - x) * kept, cy: y + (self.cy - y) * kept, width }.clamped()
    }

    /// The view a click on a cluster of `spots` (drawn at `at`) opens: fitted to them if that is closer, else three
    /// times closer around it; `None` when the map cannot get closer — the spots stay together at any zoom and
    /// must be listed instead.
    pub fn closer_on(&self, spots: &[(f64, f64)], at: (f64, f64)) -> Option<Self> {
        let fitted = Self::fit_within(spots, MIN_VIEW_WIDTH);
        let next = if fitted.width < self.width { fitted } else { self.zoomed(3.0, at.0, at.1) };
        (next.width < self.width * 0.99).then_some(next)
    }

    /// Moved by (`dx`, `dy`) map units.
    pub fn panned(&self, dx: f64, dy: f64) -> Self {
        Self { cx: self.cx + dx, cy: self.cy + dy, width: self.width }.clamped()
    }

    /// Kept over the world: the centre never leaves it and the view is never wider than it.
    fn clamped(self) -> Self {
        let width = self.width.clamp(MIN_VIEW_WIDTH, WORLD_WIDTH);
        Self { cx: self.cx.clamp(0.0, WORLD_WIDTH), cy: self.cy.clamp(0.0, WORLD_HEIGHT), width }
    }

    /// The SVG `viewBox` of this view.
    pub fn view_box(&self) -> String {
        format!(
            "{:.1} {:.1} {:.1} {:.1}",
            self.cx - self.width / 2.0,
            self.cy - self.height() / 2.0,
            self.width,
            self.height()
        )
    }

    /// The view as an address carries it (`map=cx,cy,width`, map units), read back by [`View::parse`].
    pub fn to_param(&self) -> String {
        format!("{:.1},{:.1},{:.1}", self.cx, self.cy, self.width)
    }

    /// A view from an address (`cx,cy,width`): `None` unless three finite numbers, kept over the world.
    pub fn parse(text: &str) -> Option<Self> {
        let mut numbers = text.split(',').map(|n| n.trim().parse::<f64>().ok().filter(|n| n.is_finite()));
        let (cx, cy, width) = (numbers.next()??, numbers.next()??, numbers.next()??);
        numbers.next().is_none().then(|| Self { cx, cy, width }.clamped())
    }

    /// Map units per screen pixel when drawn [`SCREEN_WIDTH`] wide.
    pub fn units_per_pixel(&self) -> f64 {
        self.width / SCREEN_WIDTH
    }
}

/// Pins drawn as one: where, and which of the input points (by index) it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub x: f64,
    pub y: f64,
    pub members: Vec<usize>,
}

/// Groups points that would be drawn closer than `radius` map units: each point joins the first cluster (in input
/// order) whose first point is within `radius`, else starts its own; a cluster sits at the mean of its points.
/// A grid of `radius`-sized cells keeps this linear in the number of points, so thousands of pins stay cheap.
pub fn cluster(points: &[(f64, f64)], radius: f64) -> Vec<Cluster> {
    use std::collections::HashMap;
    let radius = radius.max(f64::EPSILON);
    let cell = |x: f64, y: f64| ((x / radius).floor() as i64, (y / radius).floor() as i64);
    let mut clusters: Vec<(f64, f64, Vec<usize>)> = Vec::new();
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (index, &(x, y)) in points.iter().enumerate() {
        let (cx, cy) = cell(x, y);
        let near = (-1..=1)
            .flat_map(|dx| (-1..=1).map(move |dy| (cx + dx, cy + dy)))
            .filter_map(|key| grid.get(&key))
            .flatten()
            .copied()
            .filter(|&c| {
                let (sx, sy, _) = clusters[c];
                (sx - x).hypot(sy - y) <= radius
            })
            .min();
        match near {
            Some(c) => clusters[c].2.push(index),
            None => {
                grid.entry((cx, cy)).or_default().push(clusters.len());
                clusters.push((x, y, vec![index]));
            }
        }
    }
    clusters
        .into_iter()
        .map(|(_, _, members)| {
            let n = members.len() as f64;
            let x = members.iter().map(|&i| points[i].0).sum::<f64>() / n;
            let y = members.iter().map(|&i| points[i].1).sum::<f64>() / n;
            Cluster { x, y, members }
        })
        .collect()
}

/// Place names shown at once, at most: enough to tell where you are, few enough to stay readable.
pub const MAX_LABELS: usize = 14;
/// A label's font size in screen pixels, at every zoom.
pub const LABEL_PIXELS: f64 = 12.0;

/// Which place names to draw in `view` (drawn `screen_width` pixels wide), as indices into `places` — (name,
/// latitude, longitude), most populous first: each place inside the view whose label would not overlap one already
/// chosen, until [`MAX_LABELS`]. Zoomed out only the largest places fit; closer in, smaller ones get the room.
pub fn place_labels(view: &View, screen_width: f64, places: &[(String, f64, f64)]) -> Vec<usize> {
    let per_pixel = view.width / screen_width.max(1.0);
    let (left, top) = (view.cx - view.width / 2.0, view.cy - view.height() / 2.0);
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut chosen = Vec::new();
    for (index, (name, lat, lon)) in places.iter().enumerate() {
        if chosen.len() >= MAX_LABELS {
            break;
        }
        let (x, y) = project(*lat, *lon);
        // The label's box on screen: it starts a little right of the point and is about 0.6 em per letter wide.
        let (sx, sy) = ((x - left) / per_pixel, (y - top) / per_pixel);
        let width = name.chars().count() as f64 * LABEL_PIXELS * 0.6 + 8.0;
        let label = (sx - 4.0, sy - LABEL_PIXELS, sx + width, sy + 4.0);
        let inside = sx >= 0.0 && sy >= LABEL_PIXELS && label.2 <= screen_width && sy <= screen_width / ASPECT;
        let overlaps = taken.iter().any(|t| label.0 < t.2 && t.0 < label.2 && label.1 < t.3 && t.1 < label.3);
        if inside && !overlaps {
            taken.push(label);
            chosen.push(index);
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projecting_and_back_gives_the_same_place() {
        for (lat, lon) in [(-34.6, -58.38), (59.9, 10.75), (0.0, 0.0), (-89.0, 179.9)] {
            let (x, y) = project(lat, lon);
            let (lat2, lon2) = unproject(x, y);
            assert!((lat - lat2).abs() < 1e-9 && (lon - lon2).abs() < 1e-9);
        }
        assert_eq!(project(90.0, -180.0), (0.0, 0.0));
        assert_eq!(project(-90.0, 180.0), (WORLD_WIDTH, WORLD_HEIGHT));
    }

    #[test]
    fn the_fitted_view_shows_every_point() {
        let points = [project(-34.6, -58.38), project(-31.4, -64.18), project(-34.9, -56.16)];
        let view = View::fit(&points);
        for (x, y) in points {
            assert!((x - view.cx).abs() < view.width / 2.0 && (y - view.cy).abs() < view.height() / 2.0);
        }
        assert!(view.width < 20.0 * UNITS_PER_DEGREE, "zoomed in on the region, not the world");
        assert_eq!(View::fit(&[]), View::world());
        assert!(View::fit(&[project(0.0, 0.0)]).width >= MIN_VIEW_WIDTH, "a single pin is not zoomed in endlessly");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor_and_stays_within_limits() {
        let view = View::world();
        let (x, y) = project(-34.6, -58.38);
        let closer = view.zoomed(2.0, x, y);
        let left = |v: &View| (x - (v.cx - v.width / 2.0)) / v.width;
        assert!((left(&view) - left(&closer)).abs() < 1e-9);
        assert_eq!(view.zoomed(0.5, x, y).width, WORLD_WIDTH);
        assert_eq!(view.zoomed(1e9, x, y).width, MIN_VIEW_WIDTH);
    }

    #[test]
    fn a_cluster_opens_closer_until_the_map_cannot_get_closer() {
        let spot = project(-34.6, -58.38);
        let apart = [spot, project(-34.6, -58.30)];
        let closer = View::fit(&apart).closer_on(&apart, spot).expect("closer on pins some km apart");
        assert!(closer.width < View::fit(&apart).width);
        let same = [spot, spot, spot];
        let mut view = View::world();
        for _ in 0..20 {
            match view.closer_on(&same, spot) {
                Some(next) => view = next,
                None => break,
            }
        }
        assert_eq!(view.width, MIN_VIEW_WIDTH, "as close as the map goes");
        assert_eq!(view.closer_on(&same, spot), None, "pins at one spot are listed, not zoomed forever");
    }

    #[test]
    fn close_pins_cluster_and_far_ones_do_not() {
        let points = [(0.0, 0.0), (5.0, 0.0), (100.0, 0.0), (3.0, 4.0)];
        let clusters = cluster(&points, 10.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].members, vec![0, 1, 3]);
        assert_eq!(clusters[1].members, vec![2]);
        assert!((clusters[0].x - 8.0 / 3.0).abs() < 1e-9);
        assert_eq!(cluster(&points, 1.0).len(), 4, "zoomed in, every pin is its own");
        assert!(cluster(&[], 10.0).is_empty());
    }

    #[test]
    fn every_point_lands_in_exactly_one_cluster() {
        let points: Vec<(f64, f64)> = (0..2000).map(|i| ((i * 37 % 1000) as f64, (i * 91 % 700) as f64)).collect();
        let clusters = cluster(&points, 25.0);
        let mut seen: Vec<usize> = clusters.iter().flat_map(|c| c.members.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..2000).collect::<Vec<_>>());
    }

    #[test]
    fn a_view_goes_through_an_address_and_nonsense_is_refused() {
        let view = View { cx: 12_000.5, cy: 12_400.25, width: 160.0 };
        let back = View::parse(&view.to_param()).expect("its own parameter");
        assert!((back.cx - view.cx).abs() < 0.1 && (back.width - view.width).abs() < 0.1);
        assert_eq!(View::parse("1e9,-5,0").map(|v| (v.cx, v.cy, v.width)), Some((WORLD_WIDTH, 0.0, MIN_VIEW_WIDTH)));
        for bad in ["", "1,2", "1,2,3,4", "a,b,c", "NaN,1,1", "inf,1,1"] {
            assert_eq!(View::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn labels_stay_apart_inside_the_view_and_smaller_places_show_closer_in() {
        let places: Vec<(String, f64, f64)> = vec![
            ("Buenos Aires".into(), -34.61, -58.38),
            ("La Plata".into(), -34.92, -57.95),
            ("Quilmes".into(), -34.72, -58.25),
            ("Madrid".into(), 40.42, -3.70),
        ];
        let world = place_labels(&View::world(), SCREEN_WIDTH, &places);
        assert!(world.contains(&0) && world.contains(&3), "the largest places of the world view: {world:?}");
        assert!(!world.contains(&2), "a suburb would overlap the capital at world zoom");
        let city = View { cx: project(-34.75, -58.2).0, cy: project(-34.75, -58.2).1, width: 1.2 * UNITS_PER_DEGREE };
        let close = place_labels(&city, SCREEN_WIDTH, &places);
        assert_eq!(close, vec![0, 1, 2], "closer in every nearby place has room; Madrid is outside");
        let many: Vec<(String, f64, f64)> = (0..200)
            .map(|i| (format!("P{i}"), f64::from(i % 20) * 8.0 - 80.0, f64::from(i / 20) * 30.0 - 150.0))
            .collect();
        assert!(place_labels(&View::world(), SCREEN_WIDTH, &many).len() <= MAX_LABELS);
    }
}
