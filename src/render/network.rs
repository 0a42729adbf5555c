//! A picture of the network: entities named in the same paragraphs, drawn at
//! build time as a static SVG to inline in a page (no script needed to see
//! it).
//!
//! The layout is force-directed (Fruchterman–Reingold) from a fixed start —
//! nodes on a sunflower spiral in order of prominence — with a fixed number
//! of steps, no randomness and only the arithmetic IEEE 754 fixes to the last
//! bit (+, −, ×, ÷, √), so the same dossier always draws the same bytes. Node size follows mentions, colour follows kind, each node links to
//! its entity page. Labels go beside their node, on whichever side overlaps
//! nothing already drawn; a label that cannot be placed without overlap is
//! left to the node's tooltip, except for the most prominent nodes.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::content::EntityKind;
use crate::site::Site;

use super::paragraph::escape;

/// The most connected entities drawn on the dossier-wide network.
pub const MAX_NODES: usize = 40;
/// Neighbours drawn around an entity on its page.
pub const MAX_NEIGHBOURS: usize = 15;
/// Labels of this many most prominent nodes are drawn even if they overlap.
const ALWAYS_LABELLED: usize = 8;
const WIDTH: f64 = 960.0;
/// Height of the drawing: smaller for a handful of nodes.
fn height(nodes: usize) -> f64 {
    if nodes > 12 {
        640.0
    } else {
        440.0
    }
}
const MARGIN: f64 = 24.0;
const STEPS: usize = 300;
const FONT_SIZE: f64 = 12.0;
/// Average advance of a character of the label font, for sizing labels.
const CHAR_WIDTH: f64 = 7.4;

/// A graph to draw: nodes by entity index, weighted edges between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Graph {
    /// Entity indices, most prominent first.
    pub nodes: Vec<usize>,
    /// (node position, node position, paragraphs in common).
    pub edges: Vec<(usize, usize, usize)>,
    /// The node held in the middle (an entity page's own entity).
    pub centre: Option<usize>,
}

/// Paragraphs in common for every pair of entities named together, as
/// (smaller index, larger index).
fn paragraph_pairs(site: &Site) -> BTreeMap<(usize, usize), usize> {
    pairs_among(site, 0..site.entities.len())
}

/// [`paragraph_pairs`] of the `entities` given only: an entity page needs
/// the links among a few dozen entities, not the whole dossier's.
fn pairs_among(
    site: &Site,
    entities: impl IntoIterator<Item = usize> + Clone,
) -> BTreeMap<(usize, usize), usize> {
    let wanted: std::collections::BTreeSet<usize> = entities.clone().into_iter().collect();
    let mut pairs = BTreeMap::new();
    for a in entities {
        for c in &site.entities[a].cooccurring {
            if a < c.entity && c.paragraphs > 0 && wanted.contains(&c.entity) {
                pairs.insert((a, c.entity), c.paragraphs);
            }
        }
    }
    pairs
}

/// The graph of `nodes`: every pair of them named in a same paragraph.
fn graph_of(nodes: Vec<usize>, pairs: &BTreeMap<(usize, usize), usize>) -> Graph {
    let position: BTreeMap<usize, usize> = nodes.iter().enumerate().map(|(p, &e)| (e, p)).collect();
    let edges = pairs
        .iter()
        .filter_map(|(&(a, b), &weight)| Some((*position.get(&a)?, *position.get(&b)?, weight)))
        .collect();
    Graph {
        nodes,
        edges,
        centre: None,
    }
}

/// The dossier-wide network: the [`MAX_NODES`] most connected entities
/// (by paragraphs shared with others, then mentions, then name).
pub fn dossier_graph(site: &Site) -> Graph {
    let pairs = paragraph_pairs(site);
    let mut strength: BTreeMap<usize, usize> = BTreeMap::new();
    for (&(a, b), &weight) in &pairs {
        *strength.entry(a).or_insert(0) += weight;
        *strength.entry(b).or_insert(0) += weight;
    }
    let mut nodes: Vec<usize> = strength.keys().copied().collect();
    nodes.sort_by(|&a, &b| {
        strength[&b]
            .cmp(&strength[&a])
            .then(
                site.entities[b]
                    .mention_count
                    .cmp(&site.entities[a].mention_count),
            )
            .then_with(|| {
                site.entities[a]
                    .entity
                    .name
                    .cmp(&site.entities[b].entity.name)
            })
    });
    nodes.truncate(MAX_NODES);
    graph_of(nodes, &pairs)
}

/// An entity and the [`MAX_NEIGHBOURS`] entities most often named in its
/// paragraphs, with the links among them all.
pub fn neighbourhood_graph(site: &Site, entity: usize) -> Graph {
    let mut neighbours: Vec<_> = site.entities[entity]
        .cooccurring
        .iter()
        .filter(|c| c.paragraphs > 0)
        .collect();
    neighbours.sort_by(|x, y| {
        y.paragraphs
            .cmp(&x.paragraphs)
            .then(y.sources.cmp(&x.sources))
            .then(x.entity.cmp(&y.entity))
    });
    let nodes: Vec<usize> = std::iter::once(entity)
        .chain(neighbours.iter().take(MAX_NEIGHBOURS).map(|c| c.entity))
        .collect();
    let pairs = pairs_among(site, nodes.iter().copied());
    Graph {
        centre: Some(0),
        ..graph_of(nodes, &pairs)
    }
}

/// Node positions after a deterministic force-directed layout, inside the
/// drawing area.
pub fn layout(graph: &Graph) -> Vec<(f64, f64)> {
    let n = graph.nodes.len();
    let height = height(n);
    let (cx, cy) = (WIDTH / 2.0, height / 2.0);
    // A sunflower spiral: the most prominent node in the middle. The golden
    // angle is turned by multiplication alone (no `sin`/`cos`, whose last bits
    // vary between platforms), so the picture is the same everywhere.
    const GOLDEN_COS: f64 = -0.737_368_878_078_319_7;
    const GOLDEN_SIN: f64 = 0.675_490_294_261_523_8;
    let spread = (WIDTH.min(height) / 2.0 - MARGIN) / (n.max(1) as f64).sqrt();
    let mut direction = (1.0f64, 0.0f64);
    let mut at: Vec<(f64, f64)> = Vec::with_capacity(n);
    for i in 0..n {
        let radius = spread * (i as f64).sqrt();
        at.push((cx + radius * direction.0, cy + radius * direction.1));
        direction = (
            direction.0 * GOLDEN_COS - direction.1 * GOLDEN_SIN,
            direction.0 * GOLDEN_SIN + direction.1 * GOLDEN_COS,
        );
    }
    if n < 2 {
        return at;
    }
    let k = 0.9 * ((WIDTH * height) / n as f64).sqrt();
    let k_squared = k * k;
    let mut temperature = WIDTH / 10.0;
    let cooling = temperature / (STEPS as f64 + 1.0);
    // Attraction d²/k along the unit vector (dx, dy)/d, growing with the
    // square root of the edge's weight: (dx, dy)·d·√w/2k. Without a division
    // in the loop, where divisions were most of the time of a layout.
    let edges: Vec<(usize, usize, f64)> = (graph.edges.iter())
        .map(|&(a, b, weight)| (a, b, (weight as f64).sqrt() / (2.0 * k)))
        .collect();
    let mut shift = vec![(0.0f64, 0.0f64); n];
    let mut pushes = vec![(0.0f64, 0.0f64); n];
    for _ in 0..STEPS {
        shift.fill((0.0, 0.0));
        for i in 0..n {
            // Repulsion k²/d along the unit vector (dx, dy)/d: that is
            // (dx, dy)·k²/d², with no square root in the innermost loop.
            // The pushes on i's followers are made in one pass (independent,
            // so they vectorise), then added to i in order.
            let (x, y) = at[i];
            let pushes = &mut pushes[i + 1..];
            for (push, other) in pushes.iter_mut().zip(&at[i + 1..]) {
                let (dx, dy) = (x - other.0, y - other.1);
                let scale = k_squared / (dx * dx + dy * dy).max(0.0001);
                *push = (dx * scale, dy * scale);
            }
            let (before, after) = shift.split_at_mut(i + 1);
            let own = &mut before[i];
            for (&(fx, fy), theirs) in pushes.iter().zip(after) {
                own.0 += fx;
                own.1 += fy;
                theirs.0 -= fx;
                theirs.1 -= fy;
            }
        }
        for &(a, b, pull) in &edges {
            let (dx, dy) = (at[a].0 - at[b].0, at[a].1 - at[b].1);
            let scale = (dx * dx + dy * dy).sqrt().max(0.01) * pull;
            let (fx, fy) = (dx * scale, dy * scale);
            shift[a].0 -= fx;
            shift[a].1 -= fy;
            shift[b].0 += fx;
            shift[b].1 += fy;
        }
        for i in 0..n {
            // A gentle pull to the centre keeps loose nodes in the picture.
            shift[i].0 += (cx - at[i].0) * 0.02;
            shift[i].1 += (cy - at[i].1) * 0.02;
            let length = (shift[i].0 * shift[i].0 + shift[i].1 * shift[i].1).sqrt();
            if length > 0.0 {
                let step = length.min(temperature);
                at[i].0 += shift[i].0 / length * step;
                at[i].1 += shift[i].1 / length * step;
            }
        }
        if let Some(centre) = graph.centre {
            // Move the whole picture, not the node alone, so the forces
            // stay balanced and the others spread all around it.
            let (dx, dy) = (cx - at[centre].0, cy - at[centre].1);
            for point in &mut at {
                point.0 += dx;
                point.1 += dy;
            }
        }
        temperature -= cooling;
    }
    fit(&mut at);
    at
}

/// Scales positions to fill the drawing area, leaving room for labels.
fn fit(at: &mut [(f64, f64)]) {
    let (left, right) = (MARGIN + 90.0, WIDTH - MARGIN - 90.0);
    let (top, bottom) = (MARGIN + 20.0, height(at.len()) - MARGIN - 20.0);
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in at.iter() {
        min_x = min_x.min(x);
        max_x = max_x.max(x);
        min_y = min_y.min(y);
        max_y = max_y.max(y);
    }
    for point in at.iter_mut() {
        point.0 = scale(point.0, min_x, max_x, left, right);
        point.1 = scale(point.1, min_y, max_y, top, bottom);
    }
}

fn scale(value: f64, min: f64, max: f64, low: f64, high: f64) -> f64 {
    if max - min < 1e-9 {
        (low + high) / 2.0
    } else {
        low + (value - min) / (max - min) * (high - low)
    }
}

/// A box on the drawing: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn overlap(a: Rect, b: Rect) -> f64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    w * h
}

/// Where a label goes: its anchor point and `text-anchor`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    rect: Rect,
}

/// Places labels greedily in order of prominence: right, left, below, above
/// the node, then diagonally, the first that overlaps no label or node already there.
fn place_labels(names: &[&str], at: &[(f64, f64)], radii: &[f64]) -> Vec<Option<Label>> {
    let mut taken: Vec<Rect> = at
        .iter()
        .zip(radii)
        .map(|(&(x, y), &r)| (x - r, y - r, x + r, y + r))
        .collect();
    let mut labels = Vec::with_capacity(names.len());
    let height = height(names.len());
    for (i, name) in names.iter().enumerate() {
        let (x, y, r) = (at[i].0, at[i].1, radii[i]);
        let width = name.chars().count() as f64 * CHAR_WIDTH;
        let h = FONT_SIZE;
        let candidates = [
            (
                x + r + 3.0,
                y + h / 3.0,
                "start",
                (x + r + 3.0, y - h / 2.0, x + r + 3.0 + width, y + h / 2.0),
            ),
            (
                x - r - 3.0,
                y + h / 3.0,
                "end",
                (x - r - 3.0 - width, y - h / 2.0, x - r - 3.0, y + h / 2.0),
            ),
            (
                x,
                y + r + h,
                "middle",
                (
                    x - width / 2.0,
                    y + r + 2.0,
                    x + width / 2.0,
                    y + r + 2.0 + h,
                ),
            ),
            (
                x,
                y - r - 4.0,
                "middle",
                (
                    x - width / 2.0,
                    y - r - 4.0 - h,
                    x + width / 2.0,
                    y - r - 2.0,
                ),
            ),
            (
                x + r,
                y + r + h,
                "start",
                (x + r, y + r + 2.0, x + r + width, y + r + 2.0 + h),
            ),
            (
                x + r,
                y - r - 4.0,
                "start",
                (x + r, y - r - 4.0 - h, x + r + width, y - r - 2.0),
            ),
            (
                x - r,
                y + r + h,
                "end",
                (x - r - width, y + r + 2.0, x - r, y + r + 2.0 + h),
            ),
            (
                x - r,
                y - r - 4.0,
                "end",
                (x - r - width, y - r - 4.0 - h, x - r, y - r - 2.0),
            ),
        ];
        let own = taken[i];
        let clash = |rect: Rect| -> f64 {
            let outside = if rect.0 < 0.0 || rect.2 > WIDTH || rect.1 < 0.0 || rect.3 > height {
                1e6
            } else {
                0.0
            };
            outside
                + taken
                    .iter()
                    .filter(|&&t| t != own)
                    .map(|&t| overlap(rect, t))
                    .sum::<f64>()
        };
        let best = candidates
            .iter()
            .map(|&(lx, ly, anchor, rect)| (clash(rect), lx, ly, anchor, rect))
            .fold(None::<(f64, f64, f64, &str, Rect)>, |best, c| match best {
                Some(b) if b.0 <= c.0 => Some(b),
                _ => Some(c),
            })
            .expect("eight candidates");
        let (cost, lx, ly, anchor, rect) = best;
        if cost > 0.0 && i >= ALWAYS_LABELLED {
            labels.push(None);
            continue;
        }
        taken.push(rect);
        labels.push(Some(Label {
            x: lx,
            y: ly,
            anchor,
            rect,
        }));
    }
    labels
}

fn kind_colour(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "#1d4f91",
        EntityKind::Organization => "#6b3f8f",
        EntityKind::Place => "#2d6a3e",
        EntityKind::Outlet => "#8a4b0f",
        EntityKind::Other => "#555555",
    }
}

/// A network drawing as a page shows it. It is drawn only when a template
/// is given it: a page is keyed through a serialiser that is not
/// human-readable, and to that the drawing gives what it is drawn from, so
/// finding out that a page is unchanged does not lay its network out.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    graph: Graph,
    nodes: Vec<NodeLook>,
    /// Leads from the page to the site root.
    root: String,
    /// Names the picture for screen readers.
    title: String,
}

/// What a node shows of its entity.
#[derive(Debug, Clone, Serialize)]
struct NodeLook {
    name: String,
    slug: String,
    kind: EntityKind,
    mentions: usize,
}

impl Drawing {
    pub fn new(site: &Site, graph: Graph, root: &str, title: &str) -> Self {
        let nodes = graph
            .nodes
            .iter()
            .map(|&e| {
                let entity = &site.entities[e];
                NodeLook {
                    name: entity.entity.name.clone(),
                    slug: entity.entity.slug.clone(),
                    kind: entity.entity.kind,
                    mentions: entity.mention_count,
                }
            })
            .collect();
        Drawing {
            graph,
            nodes,
            root: root.to_owned(),
            title: title.to_owned(),
        }
    }

    /// The drawing as an inline `<svg>` element; empty when there is no
    /// network to draw.
    pub fn svg(&self) -> String {
        let graph = &self.graph;
        if graph.nodes.len() < 2 || graph.edges.is_empty() {
            return String::new();
        }
        let (root, title) = (&self.root, &self.title);
        let at = layout(graph);
        let most = self
            .nodes
            .iter()
            .map(|n| n.mentions)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let radii: Vec<f64> = self
            .nodes
            .iter()
            .map(|n| 4.0 + 14.0 * (n.mentions as f64 / most).sqrt())
            .collect();
        let names: Vec<&str> = self.nodes.iter().map(|n| n.name.as_str()).collect();
        let labels = place_labels(&names, &at, &radii);
        let heaviest = graph.edges.iter().map(|e| e.2).max().unwrap_or(1) as f64;

        let mut out = String::new();
        let _ = write!(
            out,
            "<svg class=\"network\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
            escape(title),
            height = height(graph.nodes.len())
        );
        let _ = write!(out, "<title>{}</title>", escape(title));
        out.push_str("<g class=\"edges\">");
        for &(a, b, weight) in &graph.edges {
            let width = 0.75 + 3.0 * (weight as f64 / heaviest);
            let _ = write!(
                out,
                "<line class=\"edge\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c8c2b8\" stroke-width=\"{width:.1}\"><title>{} · {}: {weight} paragraph{}</title></line>",
                at[a].0,
                at[a].1,
                at[b].0,
                at[b].1,
                escape(names[a]),
                escape(names[b]),
                if weight == 1 { "" } else { "s" }
            );
        }
        out.push_str("</g><g class=\"nodes\">");
        for (i, node) in self.nodes.iter().enumerate() {
            let kind = node.kind;
            let is_centre = graph.centre == Some(i);
            let _ = write!(
                out,
                "<a class=\"node node-{kind}{}\" href=\"{}entities/{}.html\"><title>{} ({kind}): {} mention{}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{:.1}\" fill=\"{}\"/>",
                if is_centre { " centre" } else { "" },
                escape(root),
                escape(&node.slug),
                escape(names[i]),
                node.mentions,
                if node.mentions == 1 { "" } else { "s" },
                at[i].0,
                at[i].1,
                radii[i],
                kind_colour(kind),
            );
            if let Some(label) = labels[i] {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{}\">{}</text>",
                    label.x,
                    label.y,
                    label.anchor,
                    escape(names[i])
                );
            }
            out.push_str("</a>");
        }
        out.push_str("</g></svg>");
        out
    }
}

impl Serialize for Drawing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::markup_or_inputs(
            serializer,
            || self.svg(),
            || (&self.graph, &self.nodes, &self.root, &self.title),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: usize) -> Graph {
        Graph {
            nodes: (0..n).collect(),
            edges: (0..n).map(|i| (i, (i + 1) % n, 1 + i % 3)).collect(),
            centre: None,
        }
    }

    #[test]
    fn layout_is_deterministic_and_inside_the_drawing() {
        let graph = ring(12);
        let first = layout(&graph);
        assert_eq!(first, layout(&graph));
        for &(x, y) in &first {
            assert!((0.0..=WIDTH).contains(&x) && (0.0..=height(12)).contains(&y));
        }
    }

    #[test]
    fn a_pinned_centre_stays_in_the_middle() {
        let graph = Graph {
            centre: Some(0),
            ..ring(8)
        };
        let at = layout(&graph);
        let (x, y) = at[0];
        assert!((x - WIDTH / 2.0).abs() < WIDTH / 3.0, "{x}");
        assert!((y - height(8) / 2.0).abs() < height(8) / 3.0, "{y}");
    }

    #[test]
    fn layout_keeps_nodes_apart() {
        let at = layout(&ring(20));
        for i in 0..at.len() {
            for j in i + 1..at.len() {
                let d = ((at[i].0 - at[j].0).powi(2) + (at[i].1 - at[j].1).powi(2)).sqrt();
                assert!(d > 10.0, "nodes {i} and {j} are {d:.1} apart");
            }
        }
    }

    #[test]
    fn labels_avoid_each_other() {
        let names: Vec<String> = (0..3).map(|i| format!("A long entity name {i}")).collect();
        // Three nodes stacked closely: right-hand labels would collide.
        let at = [(300.0, 300.0), (300.0, 310.0), (300.0, 320.0)];
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let labels = place_labels(&names, &at, &[4.0, 4.0, 4.0]);
        let placed: Vec<Label> = labels.iter().flatten().copied().collect();
        for i in 0..placed.len() {
            for j in i + 1..placed.len() {
                assert_eq!(overlap(placed[i].rect, placed[j].rect), 0.0);
            }
        }
        assert_ne!(labels[0].unwrap().anchor, labels[1].unwrap().anchor);
    }
}
