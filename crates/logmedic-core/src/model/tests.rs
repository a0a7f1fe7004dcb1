use super::train::{train, Labelled, TrainOptions};
use super::*;

fn corpus() -> Vec<Labelled> {
    let rows = [
        ("DiskSpace", "write failed: no space left on device"),
        ("DiskSpace", "ENOSPC: no space left on device, write"),
        ("DiskSpace", "could not extend file: No space left on device"),
        ("DiskSpace", "disk quota exceeded while writing /data/out"),
        ("DNSError", "getaddrinfo ENOTFOUND api.example.internal"),
        ("DNSError", "could not resolve host: mirror.example.org"),
        ("DNSError", "Temporary failure in name resolution"),
        ("DNSError", "no such host: db.example.internal"),
        ("", "server started on port 8080"),
        ("", "request completed in 12 ms"),
        ("", "loaded 42 plugins"),
        ("", "checkpoint saved to /data/ckpt"),
    ];
    let mut out = Vec::new();
    for round in 0..4 {
        for (label, text) in rows {
            out.push(Labelled { text: format!("{text} (worker {round})"), label: label.to_string() });
        }
    }
    out
}

#[test]
fn training_is_reproducible_byte_for_byte() {
    for technique in [Technique::NaiveBayes, Technique::Logistic, Technique::Centroid] {
        let opts = TrainOptions { technique, dims_log2: 10, ..TrainOptions::default() };
        let a = train(&corpus(), &opts).unwrap().to_bytes();
        let b = train(&corpus(), &opts).unwrap().to_bytes();
        assert_eq!(a, b, "{}", technique.name());
        let other_seed = train(&corpus(), &TrainOptions { seed: 99, ..opts }).unwrap().to_bytes();
        if technique == Technique::Logistic {
            assert_ne!(a, other_seed, "the seed orders the SGD passes");
        }
    }
}

#[test]
fn a_trained_model_round_trips_and_answers() {
    for technique in [Technique::NaiveBayes, Technique::Logistic, Technique::Centroid] {
        let opts = TrainOptions { technique, dims_log2: 10, ..TrainOptions::default() };
        let model = Model::from_bytes(&train(&corpus(), &opts).unwrap().to_bytes()).unwrap();
        assert_eq!(model.classes, vec!["", "DNSError", "DiskSpace"]);
        let disk = model.infer("rsync: write failed on /srv/backup: No space left on device (28)");
        assert_eq!(disk.label.as_deref(), Some("DiskSpace"), "{}", technique.name());
        let dns = model.infer("dial tcp: lookup cache.example.internal: no such host");
        assert_eq!(dns.label.as_deref(), Some("DNSError"), "{}", technique.name());
        let p = model.probabilities("server started on port 9090");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        assert_eq!(model.infer("server started on port 9090").label, None, "{}", technique.name());
    }
}

#[test]
fn damaged_model_bytes_are_refused() {
    let bytes = train(&corpus(), &TrainOptions { dims_log2: 8, ..TrainOptions::default() }).unwrap().to_bytes();
    assert!(Model::from_bytes(&bytes).is_ok());
    for cut in [0, 3, 9, 20, bytes.len() - 1] {
        let err = Model::from_bytes(&bytes[..cut]).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidArgument);
    }
    let mut extra = bytes.clone();
    extra.push(0);
    assert!(Model::from_bytes(&extra).is_err());
    let mut magic = bytes;
    magic[0] = b'X';
    assert!(Model::from_bytes(&magic).unwrap_err().message.contains("magic"));
}

#[test]
fn bad_training_options_are_refused() {
    let one_class: Vec<Labelled> = corpus().into_iter().filter(|s| s.label == "DNSError").collect();
    assert!(train(&one_class, &TrainOptions::default()).is_err());
    assert!(train(&corpus(), &TrainOptions { folds: 1, ..TrainOptions::default() }).is_err());
}

#[test]
fn the_shipped_model_loads() {
    let model = shipped().expect("the shipped model is a valid model file");
    assert!(model.classes.len() >= 21, "the 20 types and the benign class");
    assert_eq!(model.classes[0], "");
}

#[test]
fn a_model_keeps_its_feature_set_and_unknown_flags_are_refused() {
    let opts = TrainOptions { dims_log2: 10, features: FeatureSet(FeatureSet::ALL), balance: true, ..TrainOptions::default() };
    let bytes = train(&corpus(), &opts).unwrap().to_bytes();
    let model = Model::from_bytes(&bytes).unwrap();
    assert_eq!(model.features, FeatureSet(FeatureSet::ALL));
    // Compound names reach the words the samples used: `NoSpaceLeft` reads "no space left".
    assert_eq!(model.infer("StorageFault: NoSpaceLeftOnDevice while writing").label.as_deref(), Some("DiskSpace"));
    let mut unknown = bytes.clone();
    unknown[8] = 0x80;
    assert!(Model::from_bytes(&unknown).unwrap_err().message.contains("unknown features"));
    assert!(train(&corpus(), &TrainOptions { features: FeatureSet(0x80), ..TrainOptions::default() }).is_err());
}

#[test]
fn version_1_files_read_with_the_basic_features() {
    let opts = TrainOptions { dims_log2: 8, ..TrainOptions::default() };
    let mut without_samples = train(&corpus(), &opts).unwrap();
    without_samples.support = None;
    let v2 = without_samples.to_bytes();
    assert_eq!(v2[4], 2, "a model without support samples is written as version 2");
    // Version 1 is version 2 without the feature byte.
    let mut v1 = v2[..8].to_vec();
    v1[4] = 1;
    v1.extend_from_slice(&v2[9..]);
    let model = Model::from_bytes(&v1).unwrap();
    assert_eq!(model.features, FeatureSet::default());
    assert_eq!(model.to_bytes(), v2);
}

#[test]
fn support_is_the_best_similarity_to_a_sample_of_the_type() {
    let samples = [(1u8, "write failed: No space left on device"), (1, "disk quota exceeded for user 1042"), (2, "getaddrinfo ENOTFOUND api.example.internal")];
    let support = Support::from_samples(samples.into_iter());
    // Digits, case and spacing do not count.
    assert!(support.of("WRITE failed:   no space left on device", 1) > 0.99);
    assert!(support.of("Disk quota exceeded for user 77", 1) > 0.99);
    let partial = support.of("could not write /data/x: no space left on device (28)", 1);
    assert!(partial > 0.3 && partial < 0.95, "{partial}");
    assert!(support.of("mod_x child workerEnv in error state 6", 1) < 0.1);
    assert_eq!(support.of("no space left on device", 7), 0.0, "a class without samples supports nothing");
}

#[test]
fn a_type_no_training_sample_resembles_is_not_given() {
    let model = train(&corpus(), &TrainOptions { dims_log2: 10, ..TrainOptions::default() }).unwrap();
    let near = model.infer("rsync: write failed on /srv/backup: No space left on device (28)");
    assert_eq!(near.label.as_deref(), Some("DiskSpace"));
    assert!(near.support.unwrap() >= SUPPORT_FROM);
    // Words that lean towards a type, in a message like none of its samples.
    let far = model.infer("zebra quota yak okapi");
    assert_eq!(far.likeliest.as_deref(), Some("DiskSpace"), "{far:?}");
    assert!(far.support.unwrap() < SUPPORT_FROM, "{far:?}");
    assert_eq!(far.label, None);
    let benign = model.infer("server started on port 9090");
    assert_eq!((benign.label, benign.likeliest, benign.support), (None, None, None));
}

#[test]
fn support_samples_round_trip_and_damage_is_refused() {
    let bytes = train(&corpus(), &TrainOptions { dims_log2: 8, ..TrainOptions::default() }).unwrap().to_bytes();
    assert_eq!(bytes[4], 3);
    let model = Model::from_bytes(&bytes).unwrap();
    assert!(model.support.is_some());
    assert_eq!(model.to_bytes(), bytes);
    // Every flipped byte of the compressed samples is refused or still reads as samples; never a panic.
    let mut head = model;
    head.support = None;
    let start = head.to_bytes().len();
    for at in start..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x40;
        if let Ok(m) = Model::from_bytes(&flipped) {
            let _ = m.infer("no space left on device");
        }
    }
    // A sample naming a class the model lacks is refused.
    let mut forged = bytes[..start].to_vec();
    forged[4] = 3;
    let packed = zstd::bulk::compress(b"9\tno space left\n", 3).unwrap();
    forged.extend_from_slice(&(packed.len() as u32).to_le_bytes());
    forged.extend_from_slice(&packed);
    assert!(Model::from_bytes(&forged).unwrap_err().message.contains("class the model lacks"));
}
