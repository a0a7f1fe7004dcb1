//! The learned type model: for an error message no catalog pattern matched, a likely type
//! and a calibrated confidence. Its answers are *inferred*, never a pattern match; callers
//! keep them apart. A model is a linear scorer over hashed n-gram features ([`features`]),
//! stored compactly ([`Model::to_bytes`]); [`train`] builds one reproducibly. A type is given
//! only where a training sample of that type resembles the message ([`support`]).

mod features;
mod support;
pub mod train;

use std::sync::OnceLock;

use crate::error::{Error, ErrorCode, Result};
pub use features::{features, FeatureSet};
pub use support::{Support, SUPPORT_FROM};

/// The model that ships with logmedic, rebuilt by `npm run train`.
static SHIPPED_BYTES: &[u8] = include_bytes!("types.lmtm");

const MAGIC: &[u8; 4] = b"LMTM";
/// Version 2 adds the feature-set byte (version 1 files use the empty feature set); version 3
/// adds the support samples after the weights.
const VERSION: u8 = 3;

/// How a model's weights were learned. All three score linearly, so one predictor serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Technique {
    /// Multinomial naive Bayes over feature presence.
    NaiveBayes,
    /// Multinomial logistic regression trained by SGD.
    Logistic,
    /// Nearest centroid: cosine similarity to each type's mean feature vector.
    Centroid,
}

impl Technique {
    pub fn name(self) -> &'static str {
        match self {
            Technique::NaiveBayes => "naive-bayes",
            Technique::Logistic => "logistic",
            Technique::Centroid => "centroid",
        }
    }

    pub fn parse(name: &str) -> Option<Technique> {
        [Technique::NaiveBayes, Technique::Logistic, Technique::Centroid].into_iter().find(|t| t.name() == name)
    }

    fn code(self) -> u8 {
        self as u8
    }

    /// Whether feature vectors are L2-normalised before scoring (presence counts otherwise).
    fn normalised(self) -> bool {
        !matches!(self, Technique::NaiveBayes)
    }
}

/// A model's answer for one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// The type given: the likeliest, when it is a type and a training sample of it
    /// resembles the message (support at least [`SUPPORT_FROM`]); `None` otherwise.
    pub label: Option<String>,
    /// The likeliest class, whatever its support; `None` for "benign / unknown".
    pub likeliest: Option<String>,
    /// The model's probability for the likeliest class, calibrated on data it was not
    /// trained on.
    pub confidence: f32,
    /// The best similarity of the message to a training sample of the likeliest type, 0..1;
    /// `None` for a benign answer or a model stored without its samples.
    pub support: Option<f32>,
}

/// A loaded model: class names (the empty name is the benign class), per-class biases and
/// quantized weights stored feature-major, so one feature's weights for all classes are
/// adjacent.
#[derive(Debug, Clone)]
pub struct Model {
    pub technique: Technique,
    pub dims_log2: u8,
    pub features: FeatureSet,
    pub classes: Vec<String>,
    /// Softmax temperature, fitted on out-of-fold scores.
    pub temperature: f32,
    pub scale: f32,
    pub bias: Vec<f32>,
    pub weights: Vec<i8>,
    /// The failure samples the model was trained on (models before version 3 have none).
    pub support: Option<Support>,
}

impl Model {
    pub fn dims(&self) -> u32 {
        1 << self.dims_log2
    }

    /// The raw (uncalibrated) class scores of `text`.
    pub fn scores(&self, text: &str) -> Vec<f32> {
        let n = self.classes.len();
        let feats = features(text, self.dims(), self.features);
        let value = if self.technique.normalised() && !feats.is_empty() { 1.0 / (feats.len() as f32).sqrt() } else { 1.0 };
        let mut acc = vec![0i32; n];
        for &f in &feats {
            let row = &self.weights[f as usize * n..(f as usize + 1) * n];
            for (a, &w) in acc.iter_mut().zip(row) {
                *a += w as i32;
            }
        }
        acc.iter().zip(&self.bias).map(|(&a, &b)| b + a as f32 * self.scale * value).collect()
    }

    /// Calibrated class probabilities of `text`, in the order of [`Model::classes`].
    pub fn probabilities(&self, text: &str) -> Vec<f32> {
        softmax(&self.scores(text), self.temperature)
    }

    pub fn infer(&self, text: &str) -> Inference {
        let p = self.probabilities(text);
        let (best, &confidence) =
            p.iter().enumerate().fold((0, &f32::MIN), |acc, (i, v)| if *v > *acc.1 { (i, v) } else { acc });
        let name = &self.classes[best];
        if name.is_empty() {
            return Inference { label: None, likeliest: None, confidence, support: None };
        }
        let support = self.support.as_ref().map(|s| s.of(text, best as u8));
        let label = support.is_none_or(|s| s >= SUPPORT_FROM).then(|| name.clone());
        Inference { label, likeliest: Some(name.clone()), confidence, support }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() + 256);
        out.extend_from_slice(MAGIC);
        let version = if self.support.is_some() { VERSION } else { 2 };
        out.extend_from_slice(&[version, self.technique.code(), self.dims_log2, self.classes.len() as u8, self.features.0]);
        out.extend_from_slice(&self.temperature.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for (name, bias) in self.classes.iter().zip(&self.bias) {
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&bias.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|&w| w as u8));
        if let Some(support) = &self.support {
            support.write(&mut out);
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let bad = |why: &str| Error::new(ErrorCode::InvalidArgument, format!("not a logmedic type model: {why}"));
        let mut r = Reader { bytes, at: 0 };
        if r.take(4).ok_or_else(|| bad("too short"))? != MAGIC {
            return Err(bad("wrong magic bytes"));
        }
        let head = r.take(4).ok_or_else(|| bad("too short"))?;
        let version = head[0];
        let features = match version {
            1 => FeatureSet::default(),
            2 | VERSION => FeatureSet(r.take(1).ok_or_else(|| bad("too short"))?[0]),
            _ => return Err(bad("unknown version")),
        };
        if features.0 & !FeatureSet::ALL != 0 {
            return Err(bad("unknown features"));
        }
        let technique = [Technique::NaiveBayes, Technique::Logistic, Technique::Centroid]
            .into_iter()
            .find(|t| t.code() == head[1])
            .ok_or_else(|| bad("unknown technique"))?;
        let (dims_log2, n) = (head[2], head[3] as usize);
        if !(4..=24).contains(&dims_log2) || n < 2 {
            return Err(bad("bad dimensions"));
        }
        let temperature = r.f32().ok_or_else(|| bad("too short"))?;
        let scale = r.f32().ok_or_else(|| bad("too short"))?;
        let (mut classes, mut bias) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let len = r.take(1).ok_or_else(|| bad("too short"))?[0] as usize;
            let name = r.take(len).and_then(|b| std::str::from_utf8(b).ok()).ok_or_else(|| bad("bad class name"))?;
            classes.push(name.to_string());
            bias.push(r.f32().ok_or_else(|| bad("too short"))?);
        }
        let weights: Vec<i8> = r.take((1usize << dims_log2) * n).ok_or_else(|| bad("weights cut short"))?.iter().map(|&b| b as i8).collect();
        let support = if version == VERSION {
            let len = r.take(4).ok_or_else(|| bad("support samples cut short"))?;
            let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
            Some(Support::read(r.take(len).ok_or_else(|| bad("support samples cut short"))?, n)?)
        } else {
            None
        };
        if r.at != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        if !(temperature.is_finite() && temperature > 0.0 && scale.is_finite()) {
            return Err(bad("bad calibration"));
        }
        Ok(Model { technique, dims_log2, features, classes, temperature, scale, bias, weights, support })
    }
}

/// The model shipped in the package, loaded once.
pub fn shipped() -> Result<&'static Model> {
    static MODEL: OnceLock<std::result::Result<Model, Error>> = OnceLock::new();
    MODEL.get_or_init(|| Model::from_bytes(SHIPPED_BYTES)).as_ref().map_err(Clone::clone)
}

/// The shipped model's answers for `texts`, in order.
pub fn infer_types(texts: &[String]) -> Result<Vec<Inference>> {
    let model = shipped()?;
    Ok(texts.iter().map(|t| model.infer(t)).collect())
}

pub(crate) fn softmax(scores: &[f32], temperature: f32) -> Vec<f32> {
    let max = scores.iter().copied().fold(f32::MIN, f32::max);
    let exp: Vec<f32> = scores.iter().map(|s| ((s - max) / temperature).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn f32(&mut self) -> Option<f32> {
        self.take(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests;
