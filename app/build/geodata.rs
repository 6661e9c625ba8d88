//! Build step for the offline geography (issue #6): turns two npm packages into compact assets the server embeds.
//!
//! - `cities15000` (GeoNames, CC BY): every place with 15,000+ people → `places.tsv` (one line per place, most
//!   populous first) and `place_keys.txt` (folded name, ASCII name and alternate names → place line and whether the name is
//!   the place's own, sorted, for prefix search by binary search).
//! - `world-atlas` (Natural Earth 1:50m country outlines as TopoJSON) → `world.svg`, one simplified path in the
//!   equirectangular projection of `domain::map` (0.01° units, 36000 × 18000).
//!
//! The packages are installed by `npm ci --prefix app/geodata` (scripts/common.sh does it).

use std::collections::BTreeSet;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[path = "../src/server/places/fold.rs"]
mod fold;

type BuildResult<T> = Result<T, Box<dyn Error>>;

pub fn generate(geodata: &Path, out_dir: &Path) -> BuildResult<()> {
    let cities = geodata.join("node_modules/cities15000/cities15000.txt");
    let atlas = geodata.join("node_modules/world-atlas/countries-50m.json");
    for file in [&cities, &atlas] {
        println!("cargo::rerun-if-changed={}", file.display());
        if !file.exists() {
            return Err(format!(
                "{} is missing: install the map and place data with `npm ci --prefix app/geodata` \
                 (scripts/run and scripts/test do it)",
                file.display()
            )
            .into());
        }
    }
    places(&fs::read_to_string(&cities)?, out_dir)?;
    world_svg(&fs::read_to_string(&atlas)?, out_dir)?;
    Ok(())
}

/// Feature codes of places that no longer exist (historical, destroyed, abandoned): not offered.
const GONE: [&str; 3] = ["PPLH", "PPLW", "PPLQ"];

fn places(tsv: &str, out_dir: &Path) -> BuildResult<()> {
    struct Place<'a> {
        id: &'a str,
        name: &'a str,
        country: &'a str,
        lat: f64,
        lon: f64,
        population: u64,
        /// Folded names: the name and ASCII name (primary), then alternate names not already among them.
        keys: Vec<(String, bool)>,
    }
    let mut places = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() < 15 {
            return Err(format!("cities15000.txt line {}: {} fields", n + 1, fields.len()).into());
        }
        if GONE.contains(&fields[7]) || fields[8].len() != 2 {
            continue;
        }
        let primary: BTreeSet<String> = [fields[1], fields[2]].into_iter().map(fold::fold).collect();
        let alternates: BTreeSet<String> =
            fields[3].split(',').map(fold::fold).filter(|k| !primary.contains(k)).collect();
        let keys = (primary.into_iter().map(|k| (k, true)))
            .chain(alternates.into_iter().map(|k| (k, false)))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        places.push(Place {
            id: fields[0],
            name: fields[1],
            country: fields[8],
            lat: fields[4].parse()?,
            lon: fields[5].parse()?,
            population: fields[14].parse()?,
            keys,
        });
    }
    places.sort_by(|a, b| b.population.cmp(&a.population).then(a.id.cmp(b.id)));
    let mut lines = String::new();
    let mut keys = Vec::new();
    for (index, place) in places.iter().enumerate() {
        let name = place.name.replace(['\t', '\n'], " ");
        writeln!(
            lines,
            "{}\t{name}\t{}\t{:.5}\t{:.5}\t{}",
            place.id, place.country, place.lat, place.lon, place.population
        )?;
        keys.extend(place.keys.iter().map(|(k, primary)| (k.as_str(), index, *primary)));
    }
    keys.sort_unstable();
    let mut key_lines = String::new();
    for (key, index, primary) in keys {
        writeln!(key_lines, "{key}\t{index}\t{}", u8::from(primary))?;
    }
    fs::write(out_dir.join("places.tsv"), lines)?;
    fs::write(out_dir.join("place_keys.txt"), key_lines)?;
    Ok(())
}

/// Map units per degree (must match `domain::map::UNITS_PER_DEGREE`).
const UNITS: f64 = 100.0;
/// Simplification tolerance in map units (0.04°, about 4 km): invisible at the zoom levels the map offers.
const TOLERANCE: f64 = 4.0;

fn world_svg(topojson: &str, out_dir: &Path) -> BuildResult<()> {
    use geo::{Coord, LineString, Simplify};
    let topo: serde_json::Value = serde_json::from_str(topojson)?;
    let number = |v: &serde_json::Value| v.as_f64().ok_or("world-atlas: a number was expected");
    let scale = (number(&topo["transform"]["scale"][0])?, number(&topo["transform"]["scale"][1])?);
    let translate = (number(&topo["transform"]["translate"][0])?, number(&topo["transform"]["translate"][1])?);
    // Arcs are delta-encoded quantized positions.
    let mut arcs: Vec<Vec<Coord>> = Vec::new();
    for arc in topo["arcs"].as_array().ok_or("world-atlas: no arcs")? {
        let (mut x, mut y) = (0.0, 0.0);
        let mut points = Vec::new();
        for position in arc.as_array().ok_or("world-atlas: bad arc")? {
            x += number(&position[0])?;
            y += number(&position[1])?;
            let (lon, lat) = (x * scale.0 + translate.0, y * scale.1 + translate.1);
            points.push(Coord { x: (lon + 180.0) * UNITS, y: (90.0 - lat) * UNITS });
        }
        arcs.push(points);
    }
    let ring = |indices: &serde_json::Value| -> BuildResult<Vec<Coord>> {
        let mut points: Vec<Coord> = Vec::new();
        for index in indices.as_array().ok_or("world-atlas: bad ring")? {
            let index = index.as_i64().ok_or("world-atlas: bad arc index")?;
            let mut arc = arcs.get(if index < 0 { !index } else { index } as usize).ok_or("arc index")?.clone();
            if index < 0 {
                arc.reverse();
            }
            let skip = usize::from(!points.is_empty());
            points.extend(arc.into_iter().skip(skip));
        }
        Ok(points)
    };
    let mut path = String::new();
    let geometries = topo["objects"]["countries"]["geometries"].as_array().ok_or("world-atlas: no countries")?;
    for geometry in geometries {
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["arcs"]],
            Some("MultiPolygon") => geometry["arcs"].as_array().ok_or("bad multipolygon")?.iter().collect(),
            _ => continue,
        };
        for polygon in polygons {
            for indices in polygon.as_array().ok_or("bad polygon")? {
                let mut ring = ring(indices)?;
                // A ring that crosses the antimeridian jumps across the whole map: make it continuous (x beyond
                // the edges), then draw it once more shifted by the world's width so both sides show.
                for i in 1..ring.len() {
                    let jump = ring[i].x - ring[i - 1].x;
                    if jump.abs() > 180.0 * UNITS {
                        let shift = -jump.signum() * 360.0 * UNITS;
                        for point in &mut ring[i..] {
                            point.x += shift;
                        }
                    }
                }
                let simplified = LineString::new(ring).simplify(TOLERANCE);
                let points: Vec<(i64, i64)> =
                    simplified.0.iter().map(|c| (c.x.round() as i64, c.y.round() as i64)).collect();
                let (min_x, max_x) = points.iter().fold((i64::MAX, i64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
                let (min_y, max_y) = points.iter().fold((i64::MAX, i64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
                // Rings smaller than about 10 km across vanish at every zoom the map offers.
                if points.len() < 4 || (max_x - min_x).max(max_y - min_y) < 10 {
                    continue;
                }
                let width = (360.0 * UNITS) as i64;
                let mut shifts = vec![0];
                if min_x < 0 {
                    shifts.push(width);
                }
                if max_x > width {
                    shifts.push(-width);
                }
                for shift in shifts {
                    write_ring(&mut path, &points, shift)?;
                }
            }
        }
    }
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\
         <title>World map: Natural Earth country outlines (public domain), via the world-atlas package</title>\
         <path id=\"land\" fill=\"#d9e4d0\" stroke=\"#8ea386\" stroke-width=\"1.2\" vector-effect=\"non-scaling-stroke\" \
         stroke-linejoin=\"round\" d=\"{path}\"/></svg>\n",
        w = 360.0 * UNITS,
        h = 180.0 * UNITS,
    );
    fs::write(out_dir.join("world.svg"), svg)?;
    Ok(())
}

/// Appends one closed ring as a compact path ("M x y l dx dy …z", integer map units), moved right by `shift`.
fn write_ring(path: &mut String, points: &[(i64, i64)], shift: i64) -> std::fmt::Result {
    write!(path, "M{} {}", points[0].0 + shift, points[0].1)?;
    let mut last = points[0];
    let mut first = true;
    for &p in &points[1..points.len() - 1] {
        let (dx, dy) = (p.0 - last.0, p.1 - last.1);
        if dx == 0 && dy == 0 {
            continue;
        }
        if first {
            path.push('l');
            first = false;
        } else if dx >= 0 {
            path.push(' ');
        }
        write!(path, "{dx}")?;
        if dy >= 0 {
            path.push(' ');
        }
        write!(path, "{dy}")?;
        last = p;
    }
    path.push('z');
    Ok(())
}
