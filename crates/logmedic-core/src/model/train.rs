//! Training a type model from labelled messages, reproducibly: the same samples, options
//! and seed give the same bytes. The temperature that calibrates confidences is fitted on
//! out-of-fold scores, so it reflects text the weights did not see.

use std::collections::BTreeSet;

use super::{features, softmax, FeatureSet, Model, Support, Technique};
use crate::error::{Error, ErrorCode, Result};

/// One training sample; the empty label is the benign / unknown class.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub text: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub technique: Technique,
    /// log2 of the number of hashed feature buckets.
    pub dims_log2: u8,
    pub seed: u64,
    /// Passes over the data (logistic regression only).
    pub epochs: u32,
    /// Folds for the out-of-fold calibration (2 or more).
    pub folds: u32,
    pub features: FeatureSet,
    /// Weigh each sample by 1/sqrt of its class's share, so rare types are not drowned out
    /// by common ones (logistic regression only).
    pub balance: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { technique: Technique::Logistic, dims_log2: 12, seed: 17, epochs: 12, folds: 5, features: FeatureSet::default(), balance: false }
    }
}

pub fn train(samples: &[Labelled], opts: &TrainOptions) -> Result<Model> {
    if !(4..=20).contains(&opts.dims_log2) || opts.folds < 2 || opts.epochs == 0 || opts.features.0 & !FeatureSet::ALL != 0 {
        return Err(Error::new(ErrorCode::InvalidArgument, "train: dimensions 2^4..2^20, at least 2 folds and 1 epoch, known features"));
    }
    let classes: Vec<String> = samples.iter().map(|s| s.label.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    if classes.len() < 2 || classes.len() > 255 || classes.iter().any(|c| c.len() > 255) {
        return Err(Error::new(ErrorCode::InvalidArgument, "train: between 2 and 255 classes, names up to 255 bytes"));
    }
    let dims = 1u32 << opts.dims_log2;
    let feats: Vec<Vec<u32>> = samples.iter().map(|s| features(&s.text, dims, opts.features)).collect();
    let labels: Vec<usize> = samples.iter().map(|s| classes.binary_search(&s.label).unwrap_or(0)).collect();
    let everyone: Vec<usize> = (0..samples.len()).collect();

    // Out-of-fold scores for calibration: each sample scored by a model trained without it.
    let mut rng = Rng(opts.seed | 1);
    let mut order = everyone.clone();
    rng.shuffle(&mut order);
    let mut fold_of = vec![0u32; samples.len()];
    for (rank, &i) in order.iter().enumerate() {
        fold_of[i] = rank as u32 % opts.folds;
    }
    let mut held_out: Vec<(Vec<f32>, usize)> = Vec::with_capacity(samples.len());
    for fold in 0..opts.folds {
        let train_idx: Vec<usize> = everyone.iter().copied().filter(|&i| fold_of[i] != fold).collect();
        let model = fit(&feats, &labels, &train_idx, &classes, opts);
        for i in everyone.iter().copied().filter(|&i| fold_of[i] == fold) {
            held_out.push((model.scores(&samples[i].text), labels[i]));
        }
    }
    let mut model = fit(&feats, &labels, &everyone, &classes, opts);
    model.temperature = fit_temperature(&held_out);
    let failures = samples.iter().zip(&labels).filter(|(s, _)| !s.label.is_empty());
    model.support = Some(Support::from_samples(failures.map(|(s, &c)| (c as u8, s.text.as_str()))));
    Ok(model)
}

/// The temperature minimising the negative log-likelihood of the held-out scores, from a
/// fixed logarithmic grid (deterministic, no step-size tuning).
fn fit_temperature(held_out: &[(Vec<f32>, usize)]) -> f32 {
    let mut best = (f64::INFINITY, 1.0f32);
    for step in 0..=240 {
        let t = 10f32.powf(-3.0 + step as f32 * 0.025);
        let nll: f64 = held_out.iter().map(|(s, y)| -(softmax(s, t)[*y].max(1e-12) as f64).ln()).sum();
        if nll < best.0 {
            best = (nll, t);
        }
    }
    best.1
}

/// Weights learned on the samples `idx`, quantized.
fn fit(feats: &[Vec<u32>], labels: &[usize], idx: &[usize], classes: &[String], opts: &TrainOptions) -> Model {
    let n = classes.len();
    let dims = 1usize << opts.dims_log2;
    let mut w = vec![0f32; dims * n];
    let mut bias = vec![0f32; n];
    let value = |f: &[u32]| if opts.technique.normalised() && !f.is_empty() { 1.0 / (f.len() as f32).sqrt() } else { 1.0 };
    match opts.technique {
        Technique::NaiveBayes => {
            let mut per_class = vec![0f64; n];
            let mut docs = vec![0f64; n];
            let mut count = vec![0f64; dims * n];
            for &i in idx {
                docs[labels[i]] += 1.0;
                for &f in &feats[i] {
                    count[f as usize * n + labels[i]] += 1.0;
                    per_class[labels[i]] += 1.0;
                }
            }
            const ALPHA: f64 = 0.1;
            for f in 0..dims {
                for c in 0..n {
                    w[f * n + c] = ((count[f * n + c] + ALPHA) / (per_class[c] + ALPHA * dims as f64)).ln() as f32;
                }
            }
            let total: f64 = docs.iter().sum();
            for c in 0..n {
                bias[c] = ((docs[c] + 1.0) / (total + n as f64)).ln() as f32;
            }
        }
        Technique::Centroid => {
            for &i in idx {
                let v = value(&feats[i]);
                for &f in &feats[i] {
                    w[f as usize * n + labels[i]] += v;
                }
            }
            for c in 0..n {
                let norm = (0..dims).map(|f| w[f * n + c] * w[f * n + c]).sum::<f32>().sqrt();
                if norm > 0.0 {
                    (0..dims).for_each(|f| w[f * n + c] /= norm);
                }
            }
        }
        Technique::Logistic => {
            let mut rng = Rng(opts.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
            let mut order = idx.to_vec();
            let mut step = 0u64;
            let mut scores = vec![0f32; n];
            let mut per_class = vec![0usize; n];
            idx.iter().for_each(|&i| per_class[labels[i]] += 1);
            let weight: Vec<f32> = per_class
                .iter()
                .map(|&k| if opts.balance && k > 0 { (idx.len() as f32 / (n as f32 * k as f32)).sqrt() } else { 1.0 })
                .collect();
            for _ in 0..opts.epochs {
                rng.shuffle(&mut order);
                for &i in &order {
                    let v = value(&feats[i]);
                    scores.copy_from_slice(&bias);
                    for &f in &feats[i] {
                        let row = &w[f as usize * n..(f as usize + 1) * n];
                        scores.iter_mut().zip(row).for_each(|(s, x)| *s += x * v);
                    }
                    let p = softmax(&scores, 1.0);
                    let lr = 2.0 / (1.0 + step as f32 * 1e-4);
                    step += 1;
                    for c in 0..n {
                        let g = weight[labels[i]] * (p[c] - if c == labels[i] { 1.0 } else { 0.0 });
                        if g.abs() < 1e-6 {
                            continue;
                        }
                        bias[c] -= 0.1 * lr * g;
                        for &f in &feats[i] {
                            w[f as usize * n + c] -= lr * g * v;
                        }
                    }
                }
            }
        }
    }
    // A constant added to one feature's weights for every class changes no answer; centring
    // each feature's row leaves the quantizer only the spread that matters.
    for row in w.chunks_mut(n) {
        let mean = row.iter().sum::<f32>() / n as f32;
        row.iter_mut().for_each(|x| *x -= mean);
    }
    let max = w.iter().fold(0f32, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let weights = w.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect();
    Model {
        technique: opts.technique,
        dims_log2: opts.dims_log2,
        features: opts.features,
        classes: classes.to_vec(),
        temperature: 1.0,
        scale,
        bias,
        weights,
        support: None,
    }
}

/// xorshift64: a small, seeded, platform-independent shuffle source.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}
