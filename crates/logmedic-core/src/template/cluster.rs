//! The whole-input half of template mining: exact shapes of the same length are merged
//! into templates where one position takes several values while every other position
//! agrees ("leave one out"). It runs once, on the merged shapes, in an order fixed by the
//! shapes themselves, so its answer does not depend on how the input was chunked.

use crate::analysis::FxMap;

use super::tokens::{field_name, split_key, UNIT, VAR};

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

/// One token of a template under construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Token<'k> {
    Word(&'k [u8]),
    /// A field whose value varies: its name with the sign (`user=`).
    Field(&'k [u8]),
    /// A unit after a value (`ms`): it is shown, but templates that differ only in their
    /// units, or in having one, are one event (`<1 sec`, `00:01`).
    Unit(&'k [u8]),
    Variable,
}

impl<'k> Token<'k> {
    fn of(key_token: &'k [u8]) -> Self {
        match key_token {
            [VAR] => Token::Variable,
            [UNIT, unit @ ..] => Token::Unit(unit),
            [name @ .., VAR] => Token::Field(name),
            word => Token::Word(word),
        }
    }

    /// Whether the token tells events apart: a word or a field, not a value or its unit.
    fn is_wording(self) -> bool {
        matches!(self, Token::Word(_) | Token::Field(_))
    }

    /// The field name this token is or may be the value of.
    fn field(self) -> Option<&'k [u8]> {
        match self {
            Token::Word(w) => field_name(w),
            Token::Field(name) => Some(name),
            Token::Unit(_) | Token::Variable => None,
        }
    }
}

/// A template under construction: its tokens and its shapes' root.
struct Draft<'k> {
    root: u32,
    tokens: Vec<Token<'k>>,
}

/// Assign each shape (given by its key, in first-sighting order) to a template; returns,
/// per shape, the index of the first shape of its template.
///
/// Shapes of one length fuse first, one position at a time ([`merge_same_length`]); then
/// templates of any length whose wording is the same in the same order fuse ([`wording`]).
pub fn cluster(keys: &[&[u8]]) -> Vec<u32> {
    let mut sets = Sets((0..keys.len() as u32).collect());
    let mut by_len: FxMap<usize, Vec<Draft<'_>>> = FxMap::default();
    for (i, key) in keys.iter().enumerate() {
        let tokens: Vec<Token<'_>> = split_key(key).into_iter().map(Token::of).collect();
        by_len.entry(tokens.len()).or_default().push(Draft { root: i as u32, tokens });
    }
    let mut by_wording: FxMap<Vec<Token<'_>>, u32> = FxMap::default();
    for drafts in by_len.into_values() {
        for d in merge_same_length(drafts, &mut sets) {
            let Some(words) = wording(&d.tokens) else { continue };
            let root = *by_wording.entry(words).or_insert(d.root);
            sets.union(root, d.root);
        }
    }
    (0..keys.len() as u32).map(|i| sets.find(i)).collect()
}

/// A template's tokens without its variables and units. Templates of different lengths share it when
/// one value was written as several tokens (`10.0.0.2,10.0.0.1`, `1190 bytes (1.16 KB)
/// sent`) or a value is missing; none for a template of less than two words, whose wording
/// says too little to join others by.
fn wording<'k>(tokens: &[Token<'k>]) -> Option<Vec<Token<'k>>> {
    let words: Vec<Token<'k>> = tokens.iter().copied().filter(|t| t.is_wording()).collect();
    (words.len() >= 2).then_some(words)
}

/// Merge drafts of one length until no position can be generalised any more.
fn merge_same_length<'k>(mut drafts: Vec<Draft<'k>>, sets: &mut Sets) -> Vec<Draft<'k>> {
    let len = drafts.first().map_or(0, |d| d.tokens.len());
    loop {
        let before = drafts.len();
        for position in 0..len {
            drafts = generalise_position(drafts, position, sets);
        }
        if drafts.len() == before {
            return drafts;
        }
    }
}

/// Group drafts that are equal everywhere but at `position`; a group whose members take
/// enough values there (or already a variable) becomes one draft with a variable there,
/// unless no wording would be left around it.
fn generalise_position<'k>(drafts: Vec<Draft<'k>>, position: usize, sets: &mut Sets) -> Vec<Draft<'k>> {
    let mut groups: FxMap<Vec<Token<'k>>, Vec<Draft<'k>>> = FxMap::default();
    for d in drafts {
        let mut rest = d.tokens.clone();
        rest.remove(position);
        groups.entry(rest).or_default().push(d);
    }
    let mut out = Vec::new();
    for (rest, group) in groups {
        let worded = rest.iter().any(|t| t.is_wording());
        let variable = if group.len() > 1 && worded { variable_at(&group, position) } else { None };
        if let Some(token) = variable {
            out.push(fuse(group, position, token, sets));
        } else {
            out.extend(group);
        }
    }
    out.sort_by_key(|d| d.root);
    out
}

/// What `position` becomes if the group's drafts fuse there, if they may: a variable where
/// one draft already has one or the values are many; a field (`user=<*>`) where every value
/// is the same field and one is already masked or they are many.
fn variable_at<'k>(group: &[Draft<'k>], position: usize) -> Option<Token<'k>> {
    let mut values: Vec<Token<'k>> = group.iter().map(|d| d.tokens[position]).collect();
    if values.contains(&Token::Variable) {
        return Some(Token::Variable);
    }
    values.sort_unstable();
    values.dedup();
    let many = values.len() >= MIN_VALUES;
    let name = values[0].field().filter(|&name| values.iter().all(|v| v.field() == Some(name)));
    match name {
        Some(name) if many || values.iter().any(|v| matches!(v, Token::Field(_))) => Some(Token::Field(name)),
        _ => many.then_some(Token::Variable),
    }
}

fn fuse<'k>(group: Vec<Draft<'k>>, position: usize, token: Token<'k>, sets: &mut Sets) -> Draft<'k> {
    let mut root = group[0].root;
    for d in &group[1..] {
        root = sets.union(root, d.root);
    }
    let mut tokens = group.into_iter().next().map(|d| d.tokens).unwrap_or_default();
    tokens[position] = token;
    Draft { root, tokens }
}
