// Data: model files that will not load (ModelCorruption), configuration that does not parse
// or is missing (ConfigError), and malformed or corrupt data (DataCorruption).

import { HEALTHY, patternsOf } from './define.js';

export const MODEL_CORRUPTION = patternsOf('ModelCorruption', [
  {
    name: 'torch-load',
    re: String.raw`\bPytorchStreamReader failed\b|\bUnpicklingError\b|unexpected EOF, expected \d+ more bytes|Error\(s\) in loading state_dict\b|\[enforce fail at inline_container\.cc|without having git-lfs installed`,
    origin: 'pytorch (torch.load, load_state_dict)',
    match: [
      "RuntimeError: [enforce fail at inline_container.cc:145] . PytorchStreamReader failed reading zip archive: failed finding central directory",
      'RuntimeError: PytorchStreamReader failed reading zip archive: failed finding central directory',
      "_pickle.UnpicklingError: invalid load key, 'v'.",
      'RuntimeError: unexpected EOF, expected 120488 more bytes. The file might be corrupted.',
      'RuntimeError: Error(s) in loading state_dict for ClipEncoder:',
    ],
    noMatch: ['loaded state_dict for ClipEncoder (412 tensors)', "torch.load('/models/clips_base.pt', map_location='cpu')"],
  },
  {
    name: 'hf-weights',
    re: String.raw`(?i:\bunable to load weights from\b)|\bSafetensorError\b|\bError while deserializing header\b|\bError no file named \S+.* found in directory\b`,
    origin: 'transformers, safetensors',
    match: [
      "OSError: Unable to load weights from pytorch checkpoint file for 'bert-base-uncased' at '/models/bert/pytorch_model.bin'.",
      'safetensors_rust.SafetensorError: Error while deserializing header: HeaderTooLarge',
      'OSError: Error no file named pytorch_model.bin, model.safetensors, tf_model.h5 found in directory /models/clips_base.',
    ],
    noMatch: ['Loading checkpoint shards: 100%|##########| 3/3 [00:04<00:00,  1.41s/it]'],
  },
  {
    name: 'model-file-corrupt',
    re: String.raw`(?i:\b(?:model|checkpoint|weights?)(?: file)?(?: is| was| appears)? corrupt(?:ed)?\b)|(?i:\b(?:model|checkpoint|weights?)\b.*\b(?:checksum|hash|sha256|md5) mismatch\b)|(?i:\.(?:pt|pth|ckpt|safetensors|gguf|onnx)\b.*\b(?:checksum|hash) mismatch\b)|(?i:\b(?:checksum|hash|sha256|md5) mismatch\b.*\.(?:pt|pth|ckpt|safetensors|gguf|onnx)\b)`,
    origin: 'model loaders and downloaders (the seed, hub clients)',
    match: [
      'Checksum mismatch for /models/clips/quantized/Q4_K_M/model.gguf: expected sha256 9f2c01, got 11ab77',
      '2025-05-17 10:10:00 - model_loader - ERROR - Model file corrupt: clips_base.pt checksum mismatch',
      'checkpoint is corrupted: /ckpt/step_2000.pt',
      'download of clips_base.safetensors finished but sha256 hash mismatch (expected 9f2c.., got 11ab..)',
    ],
    noMatch: ['model loaded: clips_base.pt (sha256 ok)', 'checkpoint saved to /ckpt/step_2000.pt'],
  },
  {
    name: 'model-format',
    re: String.raw`(?i:\berror loading model\b)|\bgguf_init_from_file\w*: (?:invalid|failed)|\bINVALID_PROTOBUF\b|Load model from \S+ failed|\bDataLossError: .*(?:checkpoint|ckpt|sstable|table file)|(?i:\binvalid model file\b)`,
    origin: 'llama.cpp, onnxruntime, tensorflow',
    match: [
      'llama_model_load: error loading model: unexpectedly reached end of file',
      "gguf_init_from_file: invalid magic characters: 'vers', expected 'GGUF'",
      '[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model from /models/detector.onnx failed:Protobuf parsing failed.',
      'tensorflow.python.framework.errors_impl.DataLossError: Unable to open table file /ckpt/model.ckpt-2000: Data loss: not an sstable (bad magic number)',
    ],
    noMatch: ['llama_model_loader: loaded meta data with 24 key-value pairs and 291 tensors', 'model load time = 1841.12 ms'],
  },
  {
    name: 'model-file-missing',
    re: String.raw`\bFileNotFoundError: .*'[^']*\.(?:pt|pth|ckpt|safetensors|gguf|onnx|h5)'`,
    origin: 'python model loaders',
    match: ["FileNotFoundError: [Errno 2] No such file or directory: '/models/clips_base/quantized/Q4_K_M/clips_base.gguf'"],
    noMatch: ["saved model to '/models/clips_base/quantized/Q4_K_M/clips_base.gguf'"],
  },
  {
    name: 'model-load-frame',
    // A traceback that passes through a model loader: the data error it ends in (EOFError,
    // truncated HDF5, a bad pickle) is the model file's. Priority 46 lifts it just above
    // DataCorruption (45) and below ConfigError, network and permission causes.
    re: String.raw`^\s+[^\n]{0,80}\b(?:load_model|load_checkpoint|load_from_checkpoint|load_state_dict|from_pretrained|load_learner|joblib\.load|torch\.load|torch\.jit\.load|saved_model\.load|InferenceSession|xgb\.Booster|lgb\.Booster)\(|\bline \d+, in (?:load_model|load_checkpoint|load_from_checkpoint|from_pretrained|load_learner)$`,
    origin: 'python tracebacks through keras, joblib/sklearn, pytorch, transformers, onnxruntime, xgboost, lightgbm, fastai',
    priority: 46,
    match: [
      '    model = tf.keras.models.load_model("/opt/models/unet_v3.h5")',
      '    clf = joblib.load("/srv/models/churn.joblib")',
      '    state = torch.load(args.ckpt, map_location="cpu")',
      '  File "/usr/local/lib/python3.11/site-packages/transformers/modeling_utils.py", line 3120, in from_pretrained',
      '    sess = ort.InferenceSession("/models/detector.onnx")',
    ],
    noMatch: ['loading model from /opt/models/unet_v3.h5', 'joblib.load took 1.2s', "model = load_model('/opt/models/unet_v3.h5')  # cached"],
  },
  {
    name: 'model-artifact-damaged',
    // A truncated or unreadable file whose name says it is a model artifact.
    re: String.raw`(?i:(?:truncated file|file signature not found|Ran out of input|invalid load key|bad magic number|unexpected EOF|not a zip file|failed finding central directory|corrupt(?:ed)?)\b[^\n]{0,160}(?:\.(?:pt|pth|ckpt|safetensors|gguf|onnx|joblib|tflite|keras)\b|model[\w.-]*\.h5\b))|(?i:(?:\.(?:pt|pth|ckpt|safetensors|gguf|onnx|joblib|tflite|keras)|model[\w.-]*\.h5)\b[^\n]{0,160}(?:truncated file|file signature not found|Ran out of input|invalid load key|bad magic number|not a zip file|failed finding central directory))`,
    origin: 'h5py (keras), joblib/pickle, torch zip checkpoints, onnx/tflite loaders, in JSON log lines too',
    match: [
      '{"msg":"model warmup failed","error":"OSError: Unable to open file (truncated file: eof = 41943040, stored_eof = 98566144)","path":"/models/clf/keras_model.h5"}',
      'failed to load /srv/models/fraud.joblib: EOFError: Ran out of input',
      'ERROR loader: /ckpt/epoch_12.pt is not a zip file (torch.save with _use_new_zipfile_serialization)',
    ],
    noMatch: ['saved /models/clf/keras_model.h5 (98566144 bytes)', 'verified /ckpt/epoch_12.pt: size ok, sha256 ok'],
  },
  {
    name: 'model-format-and-keys',
    // A model file that does not fit the loader: wrong format or version, missing or unexpected
    // tensors, failed restore of a TF checkpoint, a TensorRT engine that will not deserialize.
    re: String.raw`(?i:\b(?:wrong|invalid|unknown|unsupported|bad) model (?:file )?format\b)|\bModel file doesn't specify\b|\b(?:Missing|Unexpected) key\(s\) in state_dict\b|\bsize mismatch for \S+: copying a param with shape\b|\btrying to load a weight file containing\b|\bLayer count mismatch when loading weights\b|\bSavedModel file does not exist at\b|\bnot found in checkpoint\b|\{\{node [\w/]*Restore\w*\}\}|\bInvalid magic number; corrupt file\?|\bMagic tag does not match\b|(?i:\bdeserializ(?:e|ing) (?:the )?(?:cuda )?engine failed\b)|\bdoes not appear to have a file named\b|\bCan't load (?:the model|weights|tokenizer) for '|(?i:\bfailed to load (?:the )?model\b)|(?i:\b(?:model|checkpoint|weights?)(?: file)? (?:is |was |appears )?(?:truncated|incomplete|damaged)\b)|\bINVALID_GRAPH\b|\bModelProto does not have a graph\b|\bMalformedModelException\b|\bnode array from the pickle has an incompatible dtype\b|\bshould be 'TFL3'|(?i:\bnot a valid (?:gguf|ggml) file\b)|\bUnrecognized model in\b`,
    origin: 'xgboost, lightgbm, pytorch, keras/tensorflow, tensorrt, transformers, onnx, djl, sklearn, tflite, llama.cpp',
    match: [
      "xgboost.core.XGBoostError: [09:05:22] /workspace/src/learner.cc:754: Check failed: header == serialisation_header_ : BoostLearner: wrong model format",
      '[LightGBM] [Fatal] Unknown model format or submodel type in model file /models/ranker.txt',
      'RuntimeError: Error(s) in loading state_dict: Missing key(s) in state_dict: "fc.weight", "fc.bias".',
      '	size mismatch for fc.weight: copying a param with shape torch.Size([1000, 2048]) from checkpoint, the shape in current model is torch.Size([10, 2048]).',
      "ValueError: You are trying to load a weight file containing 12 layers into a model with 14 layers.",
      '	 [[{{node save/RestoreV2}}]]',
      'tensorflow.python.framework.errors_impl.NotFoundError: Key dense_3/kernel not found in checkpoint',
      '[TRT] [E] 1: [stdArchiveReader.cpp::StdArchiveReader::42] Error Code 1: Serialization (Serialization assertion stdVersionRead == kSERIALIZATION_VERSION failed.Magic tag does not match)',
      "OSError: /models/bert does not appear to have a file named config.json.",
      'level=error msg="failed to load model" model=/models/llama-7b.gguf',
      '[ONNXRuntimeError] : 10 : INVALID_GRAPH : Load model from /models/detector.onnx failed',
    ],
    noMatch: ['INFO:tensorflow:Restoring parameters from /ckpt/ranker/model.ckpt-120000', 'model format: gguf (v3)', 'All keys matched successfully'],
  },
]);

export const CONFIG_ERROR = patternsOf('ConfigError', [
  {
    name: 'yaml-parse',
    re: String.raw`\byaml\.\w+\.\w+Error\b|\borg\.yaml\.snakeyaml\.\S+Exception\b|^yaml: |\byaml: (?:line \d+|unmarshal errors)|error converting YAML to JSON|\bmapping values are not allowed\b|\bdid not find expected key\b`,
    origin: 'pyyaml, snakeyaml, go-yaml, kubectl, docker compose',
    match: [
      'yaml.scanner.ScannerError: mapping values are not allowed here',
      'yaml.parser.ParserError: while parsing a block mapping',
      'org.yaml.snakeyaml.scanner.ScannerException: mapping values are not allowed here',
      'yaml: line 12: did not find expected key',
      'error: error parsing deploy.yaml: error converting YAML to JSON: yaml: line 14: mapping values are not allowed in this context',
    ],
    noMatch: ['loaded config from configs/hardware_adaptive_config.yaml (12 keys)', 'yaml_version=1.2'],
  },
  {
    name: 'toml-ini-parse',
    re: String.raw`(?i:\bTOML(?:Decode)?Error\b)|\bTOML parse error\b|\bconfigparser\.\w+Error\b|\bMissingSectionHeaderError\b|\bfailed to parse manifest\b`,
    origin: 'python (tomllib, toml, configparser), rust (toml, cargo)',
    match: [
      "tomllib.TOMLDecodeError: Expected '=' after a key in a key/value pair (at line 7, column 9)",
      'Error: TOML parse error at line 3, column 8',
      'configparser.MissingSectionHeaderError: File contains no section headers.',
      'error: failed to parse manifest at `/src/app/Cargo.toml`',
    ],
    noMatch: ['parsed pyproject.toml: 14 dependencies', 'config.ini loaded (3 sections)'],
  },
  {
    name: 'config-framework',
    re: String.raw`\bomegaconf\.errors\.\w+|\bConfig(?:Attribute|Key|Type|Value)Error\b|\bConfigCompositionException\b|(?i:\bvalidation errors? for \w*(?:Settings|Config)\b)|\bCould not resolve placeholder\b|\bFailed to bind properties under\b`,
    origin: 'omegaconf/hydra, pydantic-settings, spring',
    match: [
      "omegaconf.errors.ConfigAttributeError: Key 'lr_schedule' is not in struct",
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
      `java.lang.IllegalArgumentException: Could not resolve placeholder 'db.url' in value "\${db.url}"`,
      "Failed to bind properties under 'server.port' to java.lang.Integer",
    ],
    noMatch: ['settings validated: 0 errors', "resolved placeholder 'db.url' from environment"],
  },
  {
    name: 'missing-setting',
    re: String.raw`(?i:\benvironment variable \S+ (?:is )?(?:not set|missing|required|undefined)\b)|(?i:\bmissing (?:required )?(?:config(?:uration)?|setting|environment variable)\b)`,
    origin: 'applications (twelve-factor config)',
    match: ['RuntimeError: environment variable DATABASE_URL is not set', 'Error: Missing required configuration: "apiKey"'],
    noMatch: ['environment variable DATABASE_URL set from .env', HEALTHY.timeoutConfig],
  },
  {
    name: 'config-file-invalid',
    re: String.raw`(?i:\b(?:invalid|bad|malformed) config(?:uration)?(?: file)?\b)|(?i:\bconfig(?:uration)? (?:file )?error\b)|\bConfigurationError\b|\bConfigurationException\b|configuration file "[^"]*" contains errors|\bFileNotFoundError: .*'[^']*(?:config|conf|settings)[^']*'|\bFileNotFoundError: .*\.(?:ya?ml|toml|ini|cfg|conf)'|(?i:(?:JSONDecodeError|parse error|parsing|Unexpected token|invalid JSON|Expecting).*\b(?:config|settings)[\w-]*\.(?:json|ya?ml|toml|ini|cfg)\b)`,
    origin: 'generic, postgresql, python',
    match: [
      "json.decoder.JSONDecodeError: Expecting value: line 3 column 5 (char 41) while reading configs/settings.json",
      'FATAL:  configuration file "/etc/postgresql/16/main/postgresql.conf" contains errors',
      "FileNotFoundError: [Errno 2] No such file or directory: 'configs/hardware_adaptive_config.yaml'",
      'ConfigurationError: unknown quantization level "Q9_X"',
      'invalid configuration: replicas must be >= 1',
    ],
    noMatch: ['configuration validated: 0 errors', 'config reload ok (version 42)'],
  },
  {
    name: 'server-config',
    re: String.raw`\[emerg\] |nginx: configuration file \S+ test failed|\bAH00526: Syntax error\b|\bInvalid command '[^']+', perhaps misspelled|syntax error in file "[^"]+" line \d+|\bunrecognized configuration parameter\b|\binvalid value for parameter\b|\bunknown variable '|FATAL CONFIG FILE ERROR|\bBad directive or wrong number of arguments\b`,
    origin: 'nginx, apache httpd, postgresql, mysql, redis',
    match: [
      '2024/06/02 10:00:00 [emerg] 1#1: unknown directive "proxy_passs" in /etc/nginx/conf.d/app.conf:12',
      'nginx: configuration file /etc/nginx/nginx.conf test failed',
      'AH00526: Syntax error on line 27 of /etc/apache2/sites-enabled/000-default.conf:',
      '2024-06-03 08:00:00.000 UTC [1] LOG:  syntax error in file "/etc/postgresql/16/main/postgresql.conf" line 88, near token "="',
      "2024-06-03T08:00:00.123456Z 0 [ERROR] [MY-000067] [Server] unknown variable 'innodb_buffer_pool=1G'.",
      '*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***',
    ],
    noMatch: [
      'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok',
      'nginx: configuration file /etc/nginx/nginx.conf test is successful',
      'Syntax OK',
    ],
  },
  {
    name: 'unit-and-manifest',
    re: String.raw`\bUnknown key name '[^']+' in section\b|\bUnknown section '|\bInvalid environment assignment\b|The \w+ "[^"]+" is invalid: |\bservices\.[\w.-]+ (?:contains an invalid type|must be a|Additional property)`,
    origin: 'systemd unit files, kubernetes manifests, docker compose',
    match: [
      "systemd[1]: /etc/systemd/system/api.service:9: Unknown key name 'RestartSecs' in section 'Service', ignoring.",
      'The Deployment "api" is invalid: spec.template.spec.containers[0].image: Required value',
      'services.web.ports contains an invalid type, it should be a number, or an object',
    ],
    noMatch: ['deployment.apps/api configured', 'systemd[1]: Reloading.'],
  },
  {
    name: 'inotify-limit',
    // ENOSPC from inotify_add_watch is a kernel limit (fs.inotify.max_user_watches), not a
    // full disk: this wording outranks DiskSpace's ENOSPC.
    re: String.raw`System limit for number of file watchers reached|(?i:\binotify watch limit reached\b)`,
    origin: 'node.js (chokidar, webpack, jest), inotify users',
    priority: 89,
    match: ["Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'"],
    noMatch: ['fs.inotify.max_user_watches = 524288'],
  },
  {
    name: 'config-file-unreadable',
    // A config file that cannot be parsed or is missing, named by its path: a config
    // extension (.ini .cfg .conf .toml .properties .ya?ml .env) or a config/settings name.
    // Outranks the JSON/YAML/missing-file wording it is reported with.
    re: String.raw`(?i:\b(?:failed to|could not|couldn't|unable to|cannot|error) (?:parse|parsing|load|loading|read|reading|decode|decoding)\b[^\n]{0,60}(?:[\w/.-]*\.(?:ini|cfg|conf|toml|properties|ya?ml|env)\b|[\w/.-]*(?:config|settings)[\w/.-]*\.(?:json|xml|hcl)\b))|(?i:\b(?:No such file or directory|ENOENT|does not exist|cannot find|could not find|couldn't find)[^\n]{0,60}?(?:[\w/.-]*\.(?:ini|cfg|conf|toml|properties|ya?ml)\b|[\w/.-]*(?:config|settings)[\w/.-]*\.(?:json|xml|hcl)\b))`,
    origin: 'node.js, ruby, go, php, python, .NET and any loader that names the file',
    match: [
      'Error: Failed to parse /etc/acme/app.config.json: Unexpected token } in JSON at position 311',
      'Errno::ENOENT: No such file or directory @ rb_sysopen - config/database.yml',
      "Error: ENOENT: no such file or directory, open '/app/config/default.json'",
      'level=fatal msg="could not read /etc/agent/agent.toml: toml: line 4: expected \'=\'"',
      'ERROR: could not load settings.xml from /root/.m2',
    ],
    noMatch: ['loaded /etc/acme/app.config.json (12 keys)', 'reading /etc/app/app.yaml (watch enabled)'],
  },
  {
    name: 'manifest-and-pipeline',
    // Kubernetes, Helm, Compose, CI pipelines and Terraform/Ansible rejecting their own files.
    re: String.raw`\berror validating data: |\bunknown field "[^"]+" in io\.k8s\.|\bstrict decoding error: unknown field\b|\bCreateContainerConfigError\b|\bcouldn't find key \S+ in (?:ConfigMap|Secret)\b|\b(?:configmap|secret) "[^"]+" not found\b|\bvalues don't meet the specifications of the schema\b|\binvalid interpolation format for\b|\binvalid mount config\b|\bInvalid workflow file\b|\bThe workflow is not valid\b|\bconfig contains unknown keys?\b|\bError: (?:Missing required argument|Unsupported argument|Unsupported block type|Unsupported attribute|Invalid reference|Reference to undeclared (?:input variable|resource|local value|module)|Missing required provider|Invalid value for (?:input )?variable|No value for required variable|Argument or block definition required|Invalid provider configuration|Duplicate resource|Invalid block definition)\b|\bis not a valid attribute for a (?:Play|Task|Block|Role|Handler)\b|\bSyntax Error while loading YAML\b|\bthe field '[^']+' is required but was not set\b`,
    origin: 'kubectl, kubelet, helm, docker compose, github actions, gitlab ci, terraform, ansible',
    match: [
      'error: error validating "deploy/api.yaml": error validating data: ValidationError(Deployment.spec): unknown field "replica" in io.k8s.api.apps.v1.DeploymentSpec',
      'Error from server (BadRequest): error when creating "job.yaml": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.backofLimit"',
      'Warning  Failed  kubelet  Error: couldn\'t find key DB_PASSWORD in Secret default/api-secrets',
      'Error: INSTALLATION FAILED: values don\'t meet the specifications of the schema(s) in the following chart(s):',
      'invalid interpolation format for services.web.environment.DATABASE_URL: "${DB_URL". You may need to escape any $ with another $.',
      'Invalid workflow file: .github/workflows/ci.yml#L12',
      'jobs:build config contains unknown keys: scirpt',
      '│ Error: Unsupported argument',
      '│ Error: Reference to undeclared input variable',
      "ERROR! 'hosts_list' is not a valid attribute for a Play",
      "ERROR! the field 'hosts' is required but was not set",
    ],
    noMatch: ['deployment.apps/api configured', 'Apply complete! Resources: 3 added, 0 changed, 0 destroyed.', 'configmap/app-config created'],
  },
  {
    name: 'daemon-config-rejected',
    // Servers and agents that refuse to start on their configuration file.
    re: String.raw`\bconfig : parsing \[[^\]]+:\d+\]|\bFatal errors found in configuration\b|\bError\(s\) found in configuration file\b|\berror initializing configuration\b|\bUnable to parse JSON as proto\b|\bfield not found, node: |\badapting config using \w+: |\bunrecognized directive: |(?i:\berror loading config(?:uration)? (?:from|file|\(--config))|\bcouldn't load configuration\b|\bFluent::ConfigError\b|\bconfig error file=|\bERROR: \[\S+\.conf:\d+\] |\bFPM initialization failed\b|\bin \S+\.ini on line \d+\b|\.(?:service|socket|timer|mount|path):\d+: (?:Failed to parse|Unknown|Invalid|Missing)\b|\bUnit configuration has fatal error\b|\bhas more than one ExecStart= setting\b|\bUnrecognized (?:VM )?option: |(?i:\berror parsing (?:yaml )?config(?:uration)? file\b)|\bunknown setting \[[^\]]+\]|\bInvalid value \S+ for configuration \S+`,
    origin: 'haproxy, envoy, traefik, caddy, prometheus, fluentd, php-fpm/php.ini, systemd, mongod, jvm, elasticsearch, kafka',
    match: [
      "[ALERT]    (1) : config : parsing [/usr/local/etc/haproxy/haproxy.cfg:41] : unknown keyword 'timeout_server' in 'backend' section",
      "[2024-06-02 10:01:12.004][1][critical][main] [source/server/server.cc:131] error initializing configuration '/etc/envoy/envoy.yaml': Unable to parse JSON as proto",
      'level=error msg="Cannot start the provider *file.Provider: field not found, node: entrypont"',
      'Error: adapting config using caddyfile: /etc/caddy/Caddyfile:7: unrecognized directive: reverse_proxi',
      'ts=2024-06-02T10:00:00Z level=error msg="Error loading config (--config.file=/etc/prometheus/prometheus.yml)" err="parsing YAML file: yaml: unmarshal errors"',
      '2024-06-02 10:00:00 +0000 [error]: config error file="/fluentd/etc/fluent.conf" error_class=Fluent::ConfigError error="Unknown output plugin \'s3x\'"',
      "ERROR: [/etc/php/8.2/fpm/pool.d/www.conf:12] unknown entry 'pm.max_childs'",
      "PHP:  syntax error, unexpected '=' in /etc/php/8.2/fpm/php.ini on line 412",
      'systemd[1]: /etc/systemd/system/api.service:7: Failed to parse service restart specifier, ignoring: on-fial',
      'Unrecognized option: --add-opnes',
      'java.lang.IllegalArgumentException: unknown setting [xpack.security.enabeld] please check that any required plugins are installed',
      'org.apache.kafka.common.config.ConfigException: Invalid value all2 for configuration acks',
    ],
    noMatch: ['Configuration file is valid', 'systemd[1]: /etc/systemd/system/api.service: loaded', "[NOTICE]   (1) : New worker (8) forked"],
  },
  {
    name: 'flags-and-arguments',
    // A process started with a flag or option it does not know.
    re: String.raw`\bis not a valid flag\b|\bflag provided but not defined: |\bunknown (?:shorthand )?flag: |\b(?:error: )?unrecognized arguments: |\bCould not create the Java Virtual Machine\b|\bbad option: --|\berror: unexpected argument '[^']+' found\b|\berror: Found argument '[^']+' which wasn't expected\b|\bunknown option '--`,
    origin: 'etcd/cobra/go flag, python argparse, jvm, node, rust clap, mysqld',
    match: [
      `{"level":"fatal","msg":"error verifying flags","error":"'--initial-cluster-stat' is not a valid flag"}`,
      'flag provided but not defined: -confg',
      'Error: unknown flag: --namspace',
      'train.py: error: unrecognized arguments: --bacth-size 64',
      'Error: Could not create the Java Virtual Machine.',
      'node: bad option: --max-old-space',
      "error: unexpected argument '--relase' found",
    ],
    noMatch: ['flags: --namespace=prod --replicas=3', 'usage: train.py [-h] [--batch-size N]'],
  },
  {
    name: 'app-settings',
    // Settings objects, environment and DI containers of application frameworks.
    re: String.raw`\b\w*Config(?:uration)?(?:Error|Exception)\b|\bImproperlyConfigured\b|\bUndefinedValueError\b|\bEnvError\b|\bMissingMandatoryValue\b|\bCould not override '[^']+'|(?i:\bconfig(?:uration)? validation (?:error|failed)\b)|\bis a required variable, but it was not set\b|\bConfig File "[^"]+" Not Found in\b|\bconfiguration property "[^"]+" not found\b|\bOptionsValidationException\b|\bCould not parse the JSON file\b|\bThe configuration file '[^']+' was not found\b|\bFormat of the initialization string does not conform to specification\b|\bPsych::(?:SyntaxError|BadAlias|DisallowedClass)\b|\bAdapterNotSpecified\b|\bMissing .?secret_key_base\b|\bGemfileError\b|There was an error parsing .Gemfile.|\bNo application encryption key has been specified\b|composer\.json" does not contain valid JSON|\bbecause configuration at :?\S+ was not set\b|\bcould not fetch application environment\b|\brequired a bean of type '[^']+' that could not be found\b|\bFailed to configure a DataSource\b|\bNo Log4j 2 configuration file found\b|\bmust be set in your configuration\b|\bcouldn't find a configuration file\b|\bUnknown compiler option\b|\bEJSONPARSE\b|\bNon-parseable POM\b|\bMalformed POM\b|\brequired property \[[^\]]+\] is not currently set\b|\bNoRegionError\b|\bYou must specify a region\b|(?i:\bconfig(?:uration)? (?:is|was) (?:invalid|not valid|malformed)\b)`,
    origin: 'django, python-decouple, environs, omegaconf/hydra, nestjs, env-var, viper, rust config, .NET options/config, rails/psych, bundler, laravel, composer, elixir, spring, log4j2, spark, eslint, tsc, npm, maven, gcloud, aws sdks, poetry/gitlab',
    match: [
      'airflow.exceptions.AirflowConfigException: error: cannot use sqlite with the CeleryExecutor',
      'com.typesafe.config.ConfigException$Missing: No configuration setting found for key \'akka.cluster\'',
      "django.core.exceptions.ImproperlyConfigured: SECRET_KEY setting must not be empty.",
      'decouple.UndefinedValueError: DATABASE_URL not found. Declare it as envvar or define a default value.',
      'Error: Config validation error: "JWT_SECRET" is required',
      'Config File "config" Not Found in "[/etc/agent /root/.agent]"',
      'Microsoft.Extensions.Options.OptionsValidationException: DataAnnotation validation failed for \'SmtpOptions\' members',
      "System.IO.FileNotFoundException: The configuration file 'appsettings.Production.json' was not found and is not optional.",
      'Psych::SyntaxError: (/app/config/database.yml): did not find expected key while parsing a block mapping at line 3 column 3',
      'ActiveRecord::AdapterNotSpecified: database configuration does not specify adapter',
      'RuntimeError: No application encryption key has been specified.',
      '** (ArgumentError) could not fetch application environment :secret for application :api because configuration at :secret was not set',
      "Parameter 0 of constructor in com.acme.api.OrderService required a bean of type 'com.acme.api.PaymentClient' that could not be found.",
      'org.apache.spark.SparkException: A master URL must be set in your configuration',
      'ERROR: (gcloud.compute.instances.create) The required property [project] is not currently set.',
      'botocore.exceptions.NoRegionError: You must specify a region.',
      'This GitLab CI configuration is invalid: jobs:test script config should be a string or a nested array of strings up to 10 levels deep',
    ],
    noMatch: ['registered ConfigErrorHandler', 'gcloud config set project acme-prod', 'configuration is valid (12 keys)'],
  },
]);

export const DATA_CORRUPTION = patternsOf('DataCorruption', [
  {
    name: 'json-parse',
    // A document that does not parse is truncated or not what was expected; in a data
    // loading path the fitting recovery is the data's backup (see README: precedence).
    re: String.raw`\bJSONDecodeError\b|\bJsonParseException\b|(?i:\bunexpected end of JSON input\b)|\bin JSON at position \d+|\bis not valid JSON\b|\binvalid character '.' looking for beginning of value\b|\bEOF while parsing an? (?:value|list|object|string)\b|\b(?:Expecting (?:value|property name enclosed in double quotes|',' delimiter|':' delimiter)|Unterminated string starting at|Extra data|Invalid control character at): line \d+ column \d+`,
    origin: 'python json, jackson, node.js JSON.parse, go encoding/json, serde_json',
    match: [
      "ValueError: Extra data: line 1 column 5 (char 4)",
      'json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)',
      "com.fasterxml.jackson.core.JsonParseException: Unexpected character ('<' (code 60)): expected a valid value",
      'SyntaxError: Unexpected token < in JSON at position 0',
      'SyntaxError: Unexpected end of JSON input',
      "invalid character '<' looking for beginning of value",
      'Error: Error("EOF while parsing a value", line: 1, column: 4096)',
    ],
    noMatch: ['parsed 1200 JSON records in 41ms', 'content-type: application/json'],
  },
  {
    name: 'compression',
    re: String.raw`\bzlib\.error\b|\binvalid stored block lengths\b|\bincorrect header check\b|\binvalid distance too far back\b|Compressed file ended before the end-of-stream marker|(?i:\bgzip: .*unexpected end of file\b)|\bgzip: invalid header\b|\bCompressed data is corrupt\b|\bUnexpected EOF in archive\b|\bBadZipFile\b|(?i:\bfile is not a zip file\b)|\bcannot find zipfile directory\b|\bZipException\b`,
    origin: 'zlib, gzip, xz, tar, zip (python, jvm, go, unzip)',
    match: [
      'zlib.error: Error -3 while decompressing data: invalid stored block lengths',
      'EOFError: Compressed file ended before the end-of-stream marker was reached',
      'gzip: backup-2024-06-01.tar.gz: unexpected end of file',
      'tar: Unexpected EOF in archive',
      'zipfile.BadZipFile: File is not a zip file',
      'java.util.zip.ZipException: invalid LOC header (bad signature)',
    ],
    noMatch: ['gzip: backup-2024-06-01.tar.gz:  71.2% -- replaced with backup-2024-06-01.tar.gz.gz', 'extracted 1200 files from dataset.zip'],
  },
  {
    name: 'media-and-tables',
    re: String.raw`\bimage file is truncated\b|\bcannot identify image file\b|\bParquet magic bytes not found\b|\bline contains NUL\b|\bError tokenizing data\b|\bmoov atom not found\b|\bInvalid data found when processing input\b|(?i:\btruncated (?:file|record|archive)\b)|\bEOFError: Ran out of input\b`,
    origin: 'PIL, pyarrow, csv, pandas, ffmpeg',
    match: [
      "OSError: Unable to open file (truncated file: eof = 1048576, sblock->base_addr = 0, stored_eof = 4194304)",
      "EOFError: Ran out of input",
      'OSError: image file is truncated (7 bytes not processed)',
      "PIL.UnidentifiedImageError: cannot identify image file '/data/frames/000123.jpg'",
      'pyarrow.lib.ArrowInvalid: Parquet magic bytes not found in footer.',
      '_csv.Error: line contains NUL',
      'pandas.errors.ParserError: Error tokenizing data. C error: Expected 12 fields in line 48811, saw 15',
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5612c7a1] moov atom not found',
    ],
    noMatch: ['read 1200 rows from events.parquet', 'ffmpeg: frame= 1200 fps=240 q=-1.0 Lsize=   20480kB'],
  },
  {
    name: 'db-corruption',
    re: String.raw`(?i:\bdatabase disk image is malformed\b)|\bfile is not a database\b|\binvalid page in block \d+|\bpage verification failed, calculated checksum\b|\bDatabase page corruption\b|\bmarked as crashed and should be repaired\b|\bBad file format reading the append only file\b|\bShort read or OOM loading DB\b|\bWrong signature trying to load DB\b`,
    origin: 'sqlite, postgresql, mysql/innodb/myisam, redis',
    match: [
      'sqlite3.DatabaseError: database disk image is malformed',
      '2024-06-03 08:17:00.000 UTC [8870] ERROR:  invalid page in block 4412 of relation base/16384/2619',
      '[InnoDB] Database page corruption on disk or a failed file read of page [page id: space=31, page number=4].',
      "ERROR 145 (HY000): Table './shop/orders' is marked as crashed and should be repaired",
      '1:M 03 Jun 2024 08:32:00.000 # Bad file format reading the append only file appendonly.aof.1.incr.aof',
      '1:M 03 Jun 2024 08:32:01.000 # Short read or OOM loading DB. Unrecoverable error, aborting now.',
    ],
    noMatch: ['PRAGMA integrity_check: ok', 'page checksums enabled (data_checksums = on)', '1:M 03 Jun 2024 08:32:01.000 * DB loaded from disk: 0.412 seconds'],
  },
  {
    name: 'checksum',
    re: String.raw`\bChecksumException\b|\bChecksum error\b|(?i:\bchecksums? (?:mismatch|failed|did not match)\b)|(?i:\bcrc(?:32)? (?:error|mismatch|check failed)\b)`,
    origin: 'hadoop, coreutils sha256sum, storage engines',
    match: [
      'org.apache.hadoop.fs.ChecksumException: Checksum error: /user/etl/part-00017 at 2097152',
      'sha256sum: WARNING: 1 computed checksum did NOT match',
      'segment 00000042: CRC mismatch at offset 8192',
    ],
    noMatch: ['verified sha256 checksum: OK', 'checksum ok for 1200 blocks', 'crc32c enabled for WAL'],
  },
  {
    name: 'corrupt-data',
    re: String.raw`(?i:\b(?:data|file|block|page|record|index|archive|header|entry|chunk|segment|database|table)s? (?:is|are|was|were|appears to be|seems to be|may be|might be) corrupt(?:ed)?\b)|(?i:\b(?:detected|found|possible|potential|silent) (?:data )?corruption\b)|(?i:\bcorrupt(?:ed)? (?:record|block|page|chunk|segment|entry) (?:at|in|found|detected)\b)`,
    origin: 'generic',
    match: [
      "reader: corrupted record at offset 8811, skipping shard",
      'pyarrow.lib.ArrowInvalid: Parquet magic bytes not found in footer. Either the file is corrupted or this is not a parquet file.',
      'index segment is corrupted, rebuilding required',
      'WARN storage: detected corruption in block 4412 of /data/vol1',
    ],
    noMatch: ['fsck: clean, no corruption', 'scrub finished: 0 corrupted blocks', 'integrity check passed'],
  },
]);
