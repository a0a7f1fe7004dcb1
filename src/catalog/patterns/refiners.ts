// Refining patterns: context that changes a record's type without making a record itself.
// A truncated or unreadable file is DataCorruption (or IOError, or a ValueError from the
// parser) — unless the record shows that the file was a model being loaded: then restoring
// the model, not the data, is the recovery (ModelCorruption). A KeyError inside a loader
// (`KeyError: 118` from a damaged pickle, a checkpoint without `state_dict`) is the same. The evidence is the loading
// call in a traceback's source line or frame (or R's `Calls:` chain, MATLAB's `load(..., 'net')`,
// a `Loading model from` line before the error), which alone is no failure (a FutureWarning
// about torch.load prints the same source line), hence `refines`, not an ordinary pattern.

import { patternsOf } from './define.js';

export const MODEL_LOADING = patternsOf('ModelCorruption', [
  {
    name: 'while-loading-a-model',
    refines: ['DataCorruption', 'IOError', 'ValueError', 'KeyError'],
    re: String.raw`\b(?:torch|joblib|skops\.io)\.load\(|\b(?:load_model|load_checkpoint|load_from_checkpoint|load_weights|load_state_dict|load_learner|load_pretrained)\(|\b(?:jit|saved_model)\.load\(|\bInferenceSession\(|\bline \d+, in (?:load_model|load_checkpoint|load_from_checkpoint|from_pretrained|load_learner)$|\.from_pretrained\(|\bsafe_open\(|\bonnx(?:runtime)?\.(?:load|InferenceSession)\(|\b(?:xgb|lgb|xgboost|lightgbm)\.Booster\(|\btf\.saved_model\.load\(|File "[^"]*/(?:torch/serialization|keras/(?:src/)?saving/\w+|transformers/modeling_utils|safetensors/torch|joblib/numpy_pickle)\.py"|\bat org\.tensorflow\.SavedModelBundle\.load\b|(?i:\bmodel (?:load(?:ing)?|warm ?up|restore|deserialization) failed\b)|(?i:\b(?:failed|unable|could not|cannot) (?:to )?(?:load|restore|deserialize) (?:the |saved )?(?:\w+ )?(?:model|checkpoint|weights)\b)|(?i:\b(?:while|when|during|error) loading (?:the |saved |pretrained |trained )?(?:\w+ )?(?:model|checkpoint|weights)\b)|(?i:\bloading (?:the |saved |pretrained |trained )?(?:\w+ )?(?:model|checkpoint|weights) from\b)|^Calls: [^\n]*\b(?:load_model|load_checkpoint|load_weights|load_learner)\b|\breadRDS\("[^"\n]*model|= load\('[^'\n]*', *'(?:net|trainedNet|model|mdl|trainedModel)'\)`,
    origin: 'python model loading (pytorch, joblib, keras, transformers, safetensors, onnx, xgboost), tensorflow java, loaders named in R, Julia and MATLAB errors',
    match: [
      "OSError: Unable to open file (bad object header version number) while loading saved model /models/ranker.h5",
      'Traceback (most recent call last):\n  File "/srv/score/app.py", line 9, in <module>\n    clf = joblib.load("/srv/models/clf.joblib")\n  File "/usr/lib/python3.11/site-packages/joblib/numpy_pickle.py", line 658, in load\n    obj = _unpickle(fobj, filename, mmap_mode)\nEOFError: Ran out of input',
      'Traceback (most recent call last):\n  File "/app/serve.py", line 4, in <module>\n    m = tf.keras.models.load_model("/models/unet.h5")\nOSError: Unable to synchronously open file (truncated file: eof = 1048576, sblock->base_addr = 0, stored_eof = 9437184)',
      'Traceback (most recent call last):\n  File "/app/infer.py", line 21, in load\n    model = AutoModel.from_pretrained("/models/bert")\nOSError: [Errno 5] Input/output error',
      '{"level":"error","msg":"model warmup failed","error":"OSError: Unable to open file (truncated file: eof = 4096, stored_eof = 81920)"}',
      'E0301 10:00:00.000 serving.cc:88] Failed to load saved model: data loss: truncated record at 1048576',
      'ERROR: LoadError: EOFError: read end of file\nStacktrace:\n [1] load_model(path::String)\n   @ Main /srv/nn/infer.jl:12',
      'ERROR: failed to load trained model from ckpt/vae_e12.jld2: EOFError: read end of file',
      'Error in readRDS("artifacts/model_rf.rds") :\n  unknown input format',
      'Error in unserialize(con) : ReadItem: unknown type 99\nCalls: score -> load_model -> unserialize',
      "Error using load\nUnable to read MAT-file /srv/cnn/classifier.mat. File might be corrupt.\n    net = load('/srv/cnn/classifier.mat', 'trainedNet');",
    ],
    noMatch: ['arr = np.load("/data/features.npy")', "T = load('/data/sales.mat', 'tbl');", 'Calls: main -> read_inputs -> readRDS', 'Loading data from /data/train.parquet', 'rows = pickle.load(fh)', 'loaded model resnet50 in 1.2s', 'checkpoint saved to /ckpt/step-400.pt', 'model loading took 3.2s'],
  },
]);
