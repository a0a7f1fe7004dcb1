//! The whole-input half of template mining: exact shapes of the same length are merged
//! into templates where one position takes several values while every other position
//! agrees ("leave one out"). It runs once, on the merged shapes, in an order fixed by the
//! shapes themselves, so its answer does not depend on how the input was chunked.

use crate::analysis::FxMap;

use super::tokens::{split_key, VAR};

/// How many distinct values one position must take, the rest of the shapes being equal,
/// before it is taken for a variable (a position where one shape already has a masked
/// value is variable at once). Small sets of words are distinct events: `opened`/`closed`,
/// `started`/`stopped`, `alt0`/`ee0`/`scip0`; measured on loghub-2k, 4 gives 0.82 average
/// grouping accuracy, 3 gives 0.78, 5 and more no better.
pub const MIN_VALUES: usize = 4;

/// Union-find over shape indices whose root is always the smallest index of its set
/// (shapes come sorted by first sighting, so a template is named after its earliest shape).
struct Sets(Vec<u32>);

impl Sets {
    fn find(&mut self, mut i: u32) -> u32 {
        while self.0[i as usize] != i {
            let up = self.0[self.0[i as usize] as usize];
            self.0[i as usize] = up;
            i = up;
        }
        i
    }

    fn union(&mut self, a: u32, b: u32) -> u32 {
        let (a, b) = (self.find(a), self.find(b));
        let (root, child) = if a < b { (a, b) } else { (b, a) };
        self.0[child as usize] = root;
        root
    }
}

/// A template under construction: its tokens (`VAR` where a variable is) and its shapes' root.
struct Draft<'k> {
    root: u32,
    tokens: Vec<&'k [u8]>,
}

/// Assign each shape (given by its key, in first-sighting order) to a template; returns,
/// per shape, the index of the first shape of its template.
pub fn cluster(keys: &[&[u8]]) -> Vec<u32> {
    let mut sets = Sets((0..keys.len() as u32).collect());
    let mut by_len: FxMap<usize, Vec<Draft<'_>>> = FxMap::default();
    for (i, key) in keys.iter().enumerate() {
        let tokens = split_key(key);
        by_len.entry(tokens.len()).or_default().push(Draft { root: i as u32, tokens });
    }
    for drafts in by_len.into_values() {
        merge_same_length(drafts, &mut sets);
    }
    (0..keys.len() as u32).map(|i| sets.find(i)).collect()
}

/// Merge drafts of one length until no position can be generalised any more.
fn merge_same_length(mut drafts: Vec<Draft<'_>>, sets: &mut Sets) {
    let len = drafts.first().map_or(0, |d| d.tokens.len());
    loop {
        let before = drafts.len();
        for position in 0..len {
            drafts = generalise_position(drafts, position, sets);
        }
        if drafts.len() == before {
            return;
        }
    }
}

/// Group drafts that are equal everywhere but at `position`; a group whose members take
/// enough values there (or already a variable) becomes one draft with a variable there.
fn generalise_position<'k>(drafts: Vec<Draft<'k>>, position: usize, sets: &mut Sets) -> Vec<Draft<'k>> {
    let mut groups: FxMap<Vec<&'k [u8]>, Vec<Draft<'k>>> = FxMap::default();
    for d in drafts {
        let mut rest = d.tokens.clone();
        rest.remove(position);
        groups.entry(rest).or_default().push(d);
    }
    let mut out = Vec::new();
    for (rest, group) in groups {
        let variable = if group.len() > 1 && rest.iter().any(|t| *t != VAR_TOKEN) { variable_at(&group, position) } else { None };
        if let Some(token) = variable {
            out.push(fuse(group, position, token, sets));
        } else {
            out.extend(group);
        }
    }
    out.sort_by_key(|d| d.root);
    out
}

/// A masked token, as a key token.
const VAR_TOKEN: &[u8] = &[VAR];

/// What `position` becomes if the group's drafts fuse there, if they may: a variable where
/// one draft already has one or the values are many; the field `name=<*>` where one draft
/// has that masked field and every other value is the same field with a value without a
/// digit (`rhost=<*>` and `rhost=example.org`).
fn variable_at<'k>(group: &[Draft<'k>], position: usize) -> Option<&'k [u8]> {
    let mut values: Vec<&'k [u8]> = group.iter().map(|d| d.tokens[position]).collect();
    if values.contains(&VAR_TOKEN) {
        return Some(VAR_TOKEN);
    }
    if let Some(field) = values.iter().find(|v| v.len() > 1 && v.ends_with(VAR_TOKEN)) {
        let name = &field[..field.len() - 1];
        if values.iter().all(|v| v.starts_with(name)) {
            return Some(field);
        }
    }
    values.sort_unstable();
    values.dedup();
    (values.len() >= MIN_VALUES).then_some(VAR_TOKEN)
}

fn fuse<'k>(group: Vec<Draft<'k>>, position: usize, token: &'k [u8], sets: &mut Sets) -> Draft<'k> {
    let mut root = group[0].root;
    for d in &group[1..] {
        root = sets.union(root, d.root);
    }
    let mut tokens = group.into_iter().next().map(|d| d.tokens).unwrap_or_default();
    tokens[position] = token;
    Draft { root, tokens }
}
