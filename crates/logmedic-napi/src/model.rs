//! Binding for `logmedic_core::infer_types`: texts in, inferred types out; labelled samples in,
//! model bytes out (for `npm run train` and the model comparison).

use logmedic_core::{infer_types, train_model, FeatureSet, Labelled, Model, Technique, TrainOptions};
use logmedic_core::{Error as CoreError, ErrorCode};
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::{to_js_error, Code};

#[napi(object)]
pub struct InferredType {
    /// The type given: the likeliest of the 20 types (or a user type the model was trained
    /// on) when a training sample of it resembles the text; `null` otherwise, or when the
    /// likeliest answer is "benign / not a failure the model knows".
    #[napi(js_name = "type")]
    pub type_name: Option<String>,
    /// The likeliest type whatever its support; `null` for the benign answer.
    pub likeliest: Option<String>,
    /// Calibrated probability of the likeliest answer, 0..1.
    pub confidence: f64,
    /// Best similarity, 0..1, of the text to a training sample of the likeliest type; `null`
    /// for the benign answer or a model stored without its samples.
    pub support: Option<f64>,
}

#[napi(object)]
pub struct LabelledText {
    pub text: String,
    /// A type name, or the empty string for the benign class.
    pub label: String,
}

#[napi(object)]
pub struct TrainModelOptions {
    /// "logistic" (default), "naive-bayes" or "centroid".
    pub technique: Option<String>,
    pub dims_log2: Option<u32>,
    pub seed: Option<u32>,
    pub epochs: Option<u32>,
    pub folds: Option<u32>,
    /// Extra feature sets: any of "char5", "subwords", "shapes".
    pub features: Option<Vec<String>>,
    /// Weigh samples by 1/sqrt of their class's share.
    pub balance: Option<bool>,
}

/// The type model's answer for each text, in order: the shipped model, or `model` (bytes
/// from `trainTypeModelSync`). Synchronous: a few microseconds a text.
#[napi]
pub fn infer_types_sync(texts: Vec<String>, model: Option<Buffer>) -> Result<Vec<InferredType>, Code> {
    let answers = match model {
        Some(bytes) => {
            let m = Model::from_bytes(&bytes).map_err(to_js_error)?;
            texts.iter().map(|t| m.infer(t)).collect()
        }
        None => infer_types(&texts).map_err(to_js_error)?,
    };
    Ok(answers
        .into_iter()
        .map(|a| InferredType { type_name: a.label, likeliest: a.likeliest, confidence: a.confidence as f64, support: a.support.map(f64::from) })
        .collect())
}

/// Trains a type model; the same samples and options give the same bytes.
#[napi]
pub fn train_type_model_sync(samples: Vec<LabelledText>, options: Option<TrainModelOptions>) -> Result<Buffer, Code> {
    let mut opts = TrainOptions::default();
    if let Some(o) = options {
        if let Some(name) = o.technique {
            opts.technique = Technique::parse(&name).ok_or_else(|| {
                to_js_error(CoreError::new(ErrorCode::InvalidArgument, format!("unknown technique {name:?} (logistic, naive-bayes, centroid)")))
            })?;
        }
        opts.dims_log2 = o.dims_log2.map_or(opts.dims_log2, |d| d.min(255) as u8);
        opts.seed = o.seed.map_or(opts.seed, u64::from);
        opts.epochs = o.epochs.unwrap_or(opts.epochs);
        opts.folds = o.folds.unwrap_or(opts.folds);
        opts.balance = o.balance.unwrap_or(opts.balance);
        for name in o.features.unwrap_or_default() {
            opts.features.0 |= match name.as_str() {
                "char5" => FeatureSet::CHAR5,
                "subwords" => FeatureSet::SUBWORDS,
                "shapes" => FeatureSet::SHAPES,
                _ => return Err(to_js_error(CoreError::new(ErrorCode::InvalidArgument, format!("unknown feature set {name:?} (char5, subwords, shapes)")))),
            };
        }
    }
    let samples: Vec<Labelled> = samples.into_iter().map(|s| Labelled { text: s.text, label: s.label }).collect();
    let model = train_model(&samples, &opts).map_err(to_js_error)?;
    Ok(model.to_bytes().into())
}
