// Access and code: permissions and authentication (PermissionDenied), what the program or
// its environment lacks (ImportError vs MissingDependency), and the classic exception
// classes (SyntaxError, ValueError, KeyError) across Python, JVM, Node.js, Go, Rust, .NET,
// Ruby, PHP, SQL and shells.
//
// ImportError vs MissingDependency: ImportError is a language-level import/require/
// class-load statement that failed at run time (`No module named`, Node's `Cannot find
// module`, `ClassNotFoundException`): the fix is in the program's own environment or code.
// MissingDependency is something outside the language's module system, or a package
// manager failing to resolve a declared dependency: a command, a shared library, a header,
// a registry package, a container image. Precedence makes the shared-library case win
// over the ImportError that wraps it.

import { HEALTHY, patternsOf, zosAbend } from './define.js';

export const PERMISSION_DENIED = patternsOf('PermissionDenied', [
  {
    name: 'eacces-eperm',
    re: String.raw`(?i:\bpermission denied\b)|\bEACCES\b|\bEPERM\b|(?i:\boperation not permitted\b)|\bPermissionError\b|\[Errno 13\]|(?i:\bread-only file system\b)|\bEROFS\b`,
    origin: 'libc strerror(EACCES/EPERM): every runtime, coreutils, nginx, ssh, docker',
    match: [
      "OSError: [Errno 30] Read-only file system: '/models/cache'",
      "PermissionError: [Errno 13] Permission denied: '/var/log/clipsmaster/app.log'",
      "Error: EACCES: permission denied, open '/var/log/app/server.log'",
      "rm: cannot remove '/mnt/share/lock': Operation not permitted",
      '2024/06/02 10:14:00 [error] 2231#2231: *88150 open() "/srv/www/static/app.css" failed (13: Permission denied)',
      'git@github.com: Permission denied (publickey).',
    ],
    noMatch: ['chmod 0644 applied to /var/log/app.log', 'permissions: rw-r--r-- owner=app (ok)', 'permission_denied_total 0'],
  },
  {
    name: 'access-denied',
    re: String.raw`\bAccessDeniedException\b|\bAccessControlException\b|\bUnauthorizedAccessException\b|\bAccessDenied\b|(?i:\baccess denied for user\b)|(?i:\bAccess to the path .* is denied\b)|\(AccessDenied\)|: Access Denied\b`,
    origin: 'jvm (nio, hadoop), .NET, aws sdk, mysql',
    match: [
      'java.nio.file.AccessDeniedException: /var/lib/app/uploads/tmp-8812.part',
      "ERROR 1045 (28000): Access denied for user 'app'@'10.0.4.31' (using password: YES)",
      'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
      "System.UnauthorizedAccessException: Access to the path 'C:\\ProgramData\\App\\settings.json' is denied.",
    ],
    noMatch: ['access granted for user app@10.0.4.31', 'iam: policy AccessDeniedAlerts attached'],
  },
  {
    name: 'auth-failed',
    re: String.raw`\bpassword authentication failed for user\b|\bNOAUTH Authentication required\b|\bWRONGPASS\b|\bpermission denied for (?:table|relation|schema|database|sequence|function)\b|(?i:\battempt to write a readonly database\b)`,
    origin: 'postgresql, redis, sqlite',
    match: [
      '2024-06-03 08:18:00.000 UTC [8880] FATAL:  password authentication failed for user "render"',
      '(error) NOAUTH Authentication required.',
      '(error) WRONGPASS invalid username-password pair or user is disabled.',
      'sqlite3.OperationalError: attempt to write a readonly database',
    ],
    noMatch: ['2024-06-03 08:18:00.000 UTC [8880] LOG:  connection authorized: user=render database=clips', 'requirepass set (auth enabled)'],
  },
  {
    name: 'http-forbidden',
    re: String.raw`\bHTTP Error 40[13]\b|\b40[13] Forbidden\b|\b401 Unauthorized\b|\b40[13] Client Error: (?:Unauthorized|Forbidden)\b|\bfailed with status code 40[13]\b|\bHttpClientErrorException\$(?:Unauthorized|Forbidden)\b|\bError from server \((?:Forbidden|Unauthorized)\)|\bYou must be logged in to the server\b|\bis forbidden: User "|\bpull access denied\b|\brequested access to the resource is denied\b|\bunauthorized: (?:authentication required|incorrect username or password)\b|\bexceptions\.(?:Forbidden|Unauthorized|PermissionDenied|Unauthenticated): 40[13]\b|\bnpm (?:ERR!|error) code E40[13]\b|\bBad credentials\b`,
    origin: 'python urllib/requests, axios, spring, kubectl/kubernetes RBAC, docker registries, google-api-core, npm, github api',
    match: [
      "Error response from daemon: pull access denied for private/app, repository does not exist or may require 'docker login'",
      'urllib.error.HTTPError: HTTP Error 403: Forbidden',
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:ci:runner" cannot list resource "pods"',
      'requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://registry.internal/v2/_catalog',
      'AxiosError: Request failed with status code 401',
      'error: You must be logged in to the server (Unauthorized)',
      'Error: failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://auth.example.io/token: 401 Unauthorized',
      'google.api_core.exceptions.PermissionDenied: 403 Caller does not have required permission to use project acme-prod',
      'npm error code E401',
      'level=error msg="sync failed" status=401 body="{\\"message\\":\\"Bad credentials\\"}"',
    ],
    noMatch: ['10.0.0.7 - - [02/Jun/2024:10:11:12 +0000] "GET / HTTP/1.1" 200 612', 'rbac: role reader allows get,list on pods', '10.0.0.9 - - [02/Jun/2024:10:11:13 +0000] "GET /admin HTTP/1.1" 401 19', 'auth: 0 unauthorized requests in the last hour'],
  },
  {
    name: 'mandatory-access-control',
    // SELinux and AppArmor refuse what plain file modes would allow: the kernel audit line.
    re: String.raw`\bavc:\s+denied\b|\bapparmor="DENIED"|\bSELinux is preventing\b|\b(?:Sandbox|System Policy): [^\n(]+\(\d+\) deny\(\d+\) file-[\w-]+ /`,
    origin: 'linux audit (SELinux AVC), AppArmor, setroubleshoot, macOS Sandbox/System Policy (kernel, sandboxd)',
    match: [
      'type=AVC msg=audit(1722000000.512:901): avc:  denied  { read } for  pid=3110 comm="postgres" name="pg_hba.conf" dev="sda2" ino=77 scontext=system_u:system_r:postgresql_t:s0 tclass=file permissive=0',
      'kernel: audit: type=1400 audit(1722000100.220:77): apparmor="DENIED" operation="open" profile="/usr/sbin/mysqld" name="/data/mysql/ibdata1" pid=2201 comm="mysqld" requested_mask="r"',
      'setroubleshoot[1211]: SELinux is preventing /usr/sbin/httpd from write access on the directory uploads.',
      'kernel[0]: (Sandbox) Sandbox: Preview(2210) deny(1) file-write-create /Volumes/share/export.pdf',
      'kernel[0]: System Policy: backupd(913) deny(1) file-read-data /Users/ana/Library/Mail',
    ],
    noMatch: ['kernel: audit: type=1400 audit(1722000000.1:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="docker-default"', 'SELinux status: enabled, current mode: enforcing', 'sandboxd[120]: Sandbox: Preview(2210) allow file-read-data /Users/ana/Desktop/a.pdf',
      // macOS's own helpers are routinely denied sockets and mach services by design: only
      // a file a process could not read or write is the failure here.
      'kernel[0]: Sandbox: com.apple.Safari.Helper(4120) deny(1) mach-lookup com.apple.coreservices.launchservicesd'],
  },
  {
    name: 'cloud-credentials',
    // Cloud and API credentials that are missing, expired or refused: the provider SDKs and CLIs.
    re: String.raw`\bInvalidClientTokenId\b|\bSignatureDoesNotMatch\b|\bExpiredToken(?:Exception)?\b|\bUnrecognizedClientException\b|\bThe security token included in the request is (?:invalid|expired)\b|\bis not authorized to perform: |\bNoCredentialsError\b|\bUnable to locate credentials\b|\bno valid credential sources\b|\bDefaultCredentialsError\b|\bdoes not have [\w.]+ access to\b|\bPermission '[\w.]+' denied on\b|\bdoes not have authorization to perform action\b|\bAuthorizationFailed\b|\bAADSTS\d{4,}\b|\bClientAuthenticationError\b|\binvalid_grant\b`,
    origin: 'aws sdk/cli/terraform, gcp (google-auth, gsutil, gcloud), azure (az, azure-identity), oauth2',
    match: [
      'An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.',
      'botocore.exceptions.NoCredentialsError: Unable to locate credentials',
      'User: arn:aws:sts::123456789012:assumed-role/ci/runner is not authorized to perform: ecr:GetAuthorizationToken on resource: *',
      'google.auth.exceptions.DefaultCredentialsError: Your default credentials were not found.',
      'AccessDeniedException: 403 ci-bot@acme.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.',
      "(AuthorizationFailed) The client 'a1b2' with object id 'a1b2' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/read'",
      'azure.identity.ClientAuthenticationError: AADSTS7000215: Invalid client secret provided.',
      "oauthlib.oauth2.rfc6749.errors.InvalidGrantError: (invalid_grant) Token has been expired or revoked.",
    ],
    noMatch: ['aws: credentials loaded from profile ci (expires in 55m)', 'gcloud auth: activated service account ci-bot@acme.iam.gserviceaccount.com', 'token refreshed, next refresh in 3600s'],
  },
  {
    name: 'rpc-and-service-auth',
    // A service refusing the caller: gRPC status codes, message brokers, search and
    // document stores, directory servers, SQL Server, Oracle, ZooKeeper, git remotes.
    re: String.raw`\bcode = (?:PermissionDenied|Unauthenticated) desc\b|\bStatusCode\.(?:PERMISSION_DENIED|UNAUTHENTICATED)\b|\b\d+ (?:PERMISSION_DENIED|UNAUTHENTICATED): |"status": ?"(?:PERMISSION_DENIED|UNAUTHENTICATED)"|\bSaslAuthenticationException\b|\b(?:Topic|Group|Cluster|TransactionalId)AuthorizationException\b|\bACCESS_REFUSED\b|\bnot authorized on \S+ to execute command\b|\bcodeName\W{1,4}AuthenticationFailed\b|\bunable to authenticate user\b|\bis unauthorized for (?:user|api key)\b|\bLogin failed for user '|\bORA-01017\b|\bORA-01031\b|\bKeeperErrorCode = (?:NoAuth|AuthFailed)\b|\bNOPERM\b|\bno pg_hba\.conf entry for\b|\bmust be (?:owner of (?:table|relation|database|schema|function|extension)|superuser)\b|\bcommand denied to user\b|\bPermission to \S+ denied to\b|\bAuthentication failed for '(?:https?|ssh)://|\bcould not read (?:Username|Password) for '|\bAccess is denied\b|\bERROR_ACCESS_DENIED\b`,
    origin: 'grpc (go, python, node), kafka, rabbitmq, mongodb, elasticsearch, sql server, oracle, zookeeper, redis ACL, postgresql, mysql, git, windows',
    match: [
      'rpc error: code = PermissionDenied desc = service account lacks secretmanager.versions.access',
      'grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with: status = StatusCode.UNAUTHENTICATED details = "invalid token">',
      'Error: 7 PERMISSION_DENIED: Missing or insufficient permissions.',
      'org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: [payments]',
      'pika.exceptions.ProbableAccessDeniedError: (403, "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN.")',
      'MongoServerError: not authorized on admin to execute command { listDatabases: 1 }',
      "Login failed for user 'etl'. Reason: Password did not match that for the login provided.",
      'ORA-01017: invalid username/password; logon denied',
      "pymongo.errors.OperationFailure: Authentication failed., full error: {'ok': 0.0, 'errmsg': 'Authentication failed.', 'code': 18, 'codeName': 'AuthenticationFailed'}",
      'FATAL:  no pg_hba.conf entry for host "10.2.0.14", user "app", database "orders", no encryption',
      'ERROR 1142 (42000): DROP command denied to user \'report\'@\'10.0.0.5\' for table \'orders\'',
      'remote: Permission to acme/infra.git denied to deploy-bot.',
      "fatal: could not read Username for 'https://github.com': terminal prompts disabled",
      "fatal: Authentication failed for 'https://gitlab.example.com/data/pipelines.git/'",
      'Remove-Item : Access to the path is denied. Access is denied.',
      'NOPERM this user has no permissions to run the \'flushall\' command',
    ],
    noMatch: ['grpc_server_handled_total{grpc_code="OK"} 1200', 'kafka: ACL cache refreshed (12 bindings)', 'login succeeded for user etl', 'git: pushed 3 commits to acme/infra.git'],
  },
  {
    name: 'refused-and-gated',
    re: String.raw`\bGatedRepoError\b|\bCannot access gated repo\b|\b40[13] Client Error\b|(?i:\bauthentication refused\b)|\bbad ownership or modes\b|(?i:\bpermission was denied on\b)`,
    origin: 'huggingface hub, requests, sshd, sql server',
    match: [
      'huggingface_hub.errors.GatedRepoError: 403 Client Error. Cannot access gated repo for url https://huggingface.co/x/y/resolve/main/config.json.',
      'sshd[812]: Authentication refused: bad ownership or modes for directory /home/bob',
      "Msg 229, Level 14, State 5, Line 1 The EXECUTE permission was denied on the object 'sp_report'",
    ],
    noMatch: ['granted SELECT permission on Orders to app_ro', 'auth: 0 refused'],
  },
  {
    name: 'logins-and-privileges',
    re: String.raw`\baccess denied by server while mounting\b|\bSQL0551N\b|\bdoes not have the required authorization or privilege\b|(?i:\blogin refused\b)`,
    // Not pam's "authentication failure" or Windows 4625: a stranger's failed logins are a
    // security event, not a failure of this system (loghub's OpenSSH log holds hundreds).
    origin: 'nfs, db2, rabbitmq',
    match: [
      'mount.nfs: access denied by server while mounting nas01:/export/x',
      'SQL0551N  "APPUSR" does not have the required authorization or privilege to perform operation "SELECT"',
      "PLAIN login refused: user 'svc' - invalid credentials",
    ],
    noMatch: ['pam_unix(sshd:session): session opened for user deploy'],
  },
  {
    name: 'directory-and-queue-auth',
    re: String.raw`\b(?:Preauthentication failed|Password incorrect) while getting initial credentials\b|(?i:\bClient(?: \x27[^\x27\n]*\x27)? not found in Kerberos database\b)|\bldap_(?:sasl_)?bind(?:\([^)\n]*\))?: Invalid credentials\b|\bLDAP_INVALID_CREDENTIALS\b|(?i:\b(?:has|have) insufficient (?:authority|privileges?|access rights|permissions?)\b)|\bMQRC_NOT_AUTHORIZED\b|\bICH408I\b|${zosAbend('913')}`,
    origin: "Kerberos (kinit), OpenLDAP clients, IBM MQ, z/OS RACF (ICH408I, S913)",
    match: [
      "kinit: Password incorrect while getting initial credentials",
      "ldap_bind: Invalid credentials (49)",
      "AMQ8077W: Entity 'batch' has insufficient authority to access object 'PAY.Q'.",
      "ICH408I USER(BATCH1 ) GROUP(PROD ) NAME(NIGHTLY) PAYROLL.MASTER CL(DATASET ) INSUFFICIENT ACCESS AUTHORITY",
      "kinit: Client 'svc@EXAMPLE.ORG' not found in Kerberos database while getting initial credentials",
    ],
    noMatch: ["kinit: obtained initial credentials for svc@EXAMPLE.ORG", "ldap_bind: Success (0)", "AMQ8006I: IBM MQ queue created."],
  },
  {
    name: 'cluster-and-sql-privileges',
    // A cluster peer or a client refused for its credentials or privileges: Erlang
    // distribution's cookie handshake, the vSphere API (pyVmomi, govc), and SQL's
    // insufficient-privilege class (SQLSTATE 42501: PostgreSQL, Snowflake, DB2).
    re: String.raw`\bInvalid challenge reply\b|\bConnection attempt from (?:disallowed )?node \S+ rejected\b|\bvim\.fault\.(?:InvalidLogin|NoPermission|NotAuthenticated)\b|\bServerFaultCode: (?:Cannot complete login due to an incorrect user name or password|Permission to perform this operation was denied)\b|\bSQL access control error\b|(?i:\binsufficient privileges? to (?:operate|access|perform|execute|create|drop|alter|modify|read|write|use)\b)|\(42501\)|\bSQLSTATE\[42501\]|\bSQLSTATE[=: ]+42501\b`,
    origin: 'erlang/otp distribution (rabbitmq, elixir), vmware vsphere api, snowflake, postgresql, db2, php pdo',
    match: [
      "=ERROR REPORT==== 3-Mar-2025::09:00:00.000 === ** Connection attempt from node 'rabbit@mq-2' rejected. Invalid challenge reply. **",
      "pyVmomi.VmomiSupport.vim.fault.NoPermission: (vim.fault.NoPermission) { privilegeId = 'VirtualMachine.Interact.PowerOn' }",
      'govc: ServerFaultCode: Cannot complete login due to an incorrect user name or password.',
      "002003 (42501): SQL compilation error: Insufficient privileges to operate on warehouse 'ETL_WH'",
      'SQLSTATE[42501]: Insufficient privilege: 7 ERROR:  permission denied for table invoices',
    ],
    noMatch: [
      "=INFO REPORT==== 3-Mar-2025::09:00:00.000 === node 'rabbit@mq-2' up",
      'vsphere: session established for svc-backup@vsphere.local',
      'GRANT USAGE ON SCHEMA staging TO ROLE loader; -- privileges ok',
    ],
  },
  {
    name: 'sudo-refused',
    re: String.raw`\buser NOT in sudoers\b|\bis not in the sudoers file\b|\bis not allowed to execute \x27[^\x27\n]*\x27 as\b|\bis not allowed to run sudo on\b`,
    origin: "sudo (the system's own accounts refused privilege; not a stranger's login)",
    match: [
      "sudo[812]:   ci : user NOT in sudoers ; TTY=pts/1 ; PWD=/srv ; USER=root ; COMMAND=/bin/systemctl reload nginx",
      "deploy is not in the sudoers file.  This incident will be reported.",
      "Sorry, user app is not allowed to execute '/usr/bin/apt-get update' as root on web-2.",
    ],
    noMatch: ["sudo[812]:   ci : TTY=pts/1 ; PWD=/srv ; USER=root ; COMMAND=/bin/systemctl reload nginx", "added deploy to the sudoers file"],
  },
]);

export const IMPORT_ERROR = patternsOf('ImportError', [
  {
    name: 'python-import',
    re: String.raw`\bModuleNotFoundError\b|\bImportError: |(?i:\bNo module named\b)|\bcannot import name\b|\battempted relative import\b`,
    origin: 'python',
    match: [
      "ModuleNotFoundError: No module named 'cv2'",
      "ImportError: cannot import name 'soft_unicode' from 'markupsafe'",
      'ImportError: attempted relative import with no known parent package',
    ],
    noMatch: ['import completed: 42 modules loaded', 'importing module src.core.processor'],
  },
  {
    name: 'node-require',
    re: String.raw`\bCannot find module '|\bERR_MODULE_NOT_FOUND\b|\bCannot find package '[^']+' imported from\b|\bERR_REQUIRE_ESM\b`,
    origin: 'node.js (CommonJS and ESM loaders)',
    match: ["Error: Cannot find module 'express'", "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from /srv/api/src/schema.js", "Error: Cannot find module './routes/users'", 'Error [ERR_REQUIRE_ESM]: require() of ES Module /app/node_modules/node-fetch/src/index.js from /app/src/fetch.js not supported.'],
    noMatch: ['loaded module ./routes/users in 3ms', HEALTHY.noErrors],
  },
  {
    name: 'class-loading',
    re: String.raw`\bClassNotFoundException\b|\bNoClassDefFoundError\b|\berror\[E0432\]: unresolved import\b|\berror\[E0433\]: failed to resolve\b|\bpackage \S+ is not in (?:std|GOROOT)\b|\bcannot find package "[^"\n]*" in any of\b`,
    origin: 'jvm class loaders, rustc',
    match: ["cmd/api/main.go:9:2: package example.com/shop/internal/cart is not in GOROOT (/usr/lib/go/src/example.com/shop/internal/cart)", 'java.lang.ClassNotFoundException: com.mysql.cj.jdbc.Driver', 'Exception in thread "main" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory', 'error[E0432]: unresolved import `tokio::sync::Mutexx`'],
    noMatch: ['Loaded com.mysql.cj.jdbc.Driver from file:/opt/app/lib/mysql-connector-j-8.3.0.jar'],
  },
  {
    name: 'script-runtime-load',
    // How the dynamic languages word a require/use/load of code that is not there.
    re: String.raw`\bcannot load such file -- |\(LoadError\)|\bLoadError: (?:no such file to load|cannot load such file)\b|\b(?:Class|Interface|Trait|Enum) ["'][\w\\]+["'] not found\b|\bFailed opening required '|\bCan't locate \S+\.pm in @INC\b|\bmodule '[^']+' not found:|\bthere is no package called\b|\bPackage \w+ not found in current path\b|\bmodule [\w.]+ is not available\b|\buninitialized constant [\w:]+ \(NameError\)|\bNameError: uninitialized constant\b|\berror: no such module '|(?i:\bwas not loaded because no valid module file was found\b)|${zosAbend('806')}|\bCSV003I REQUESTED MODULE \S+ NOT FOUND\b`,
    origin: 'ruby/rails, php/laravel/composer autoload, perl, lua, R, julia, elixir, swift',
    match: [
      "Import-Module : The specified module 'SqlServer' was not loaded because no valid module file was found in any module directory.",
      "IEF450I JOB7 STEP1 - ABEND=S806 U0000 REASON=00000004",
      "/usr/lib/ruby/3.1.0/rubygems/core_ext/kernel_require.rb:85:in `require': cannot load such file -- sidekiq/web (LoadError)",
      'PHP Fatal error:  Uncaught Error: Class "Acme\\Billing\\TaxTable" not found in /srv/app/src/Invoice.php:31',
      "PHP Fatal error:  Interface 'Psr\\Log\\LoggerInterface' not found in /var/www/lib/Logger.php on line 9",
      "PHP Fatal error:  require(): Failed opening required '/var/www/vendor/autoload.php' (include_path='.:/usr/share/php')",
      "Can't locate JSON/XS.pm in @INC (you may need to install the JSON::XS module) (@INC contains: /etc/perl) at ./report.pl line 4.",
      "lua: app.lua:1: module 'cjson' not found:",
      "Error in library(forecast) : there is no package called ‘forecast’",
      'ERROR: LoadError: ArgumentError: Package CSV not found in current path.',
      // Ruby's LoadError only: Julia's `ERROR: LoadError:` wraps whatever an included file threw.
      'LoadError: no such file to load -- json',
      '** (UndefinedFunctionError) function Tesla.get/2 is undefined (module Tesla is not available)',
      "app/jobs/sync_job.rb:3:in `<main>': uninitialized constant Billing::Exporter (NameError)",
      "Sources/App/main.swift:2:8: error: no such module 'Vapor'",
    ],
    noMatch: ['require: loaded 48 files in 120ms', "Class 'Acme\\Billing\\TaxTable' loaded from cache", 'mix deps: all dependencies are up to date', 'module cjson loaded (2.1.0)'],
  },
  {
    name: 'bundler-resolve',
    // A front-end bundler or ESM loader that cannot resolve an import specifier.
    re: String.raw`\bModule not found: (?:Error: )?Can't resolve '|\bFailed to resolve import "|\bCould not resolve ["'][^"'\s]+["'] from\b|\[ERROR\] Could not resolve "|\bFailed to resolve '[^']+' from '|\berror: Module not found "|\bdoes not provide an export named\b|\bhas no exported member\b|\bexport '[^']+' \(imported as '[^']+'\) was not found in\b|\bERR_PACKAGE_PATH_NOT_EXPORTED\b|\bERR_UNSUPPORTED_DIR_IMPORT\b`,
    origin: 'webpack/next.js, vite/rollup, esbuild, parcel, deno, node ESM, typescript',
    match: [
      "Module not found: Error: Can't resolve '@/lib/analytics' in '/srv/web/src/app'",
      "Module not found: Can't resolve 'fs'",
      '[vite] Internal server error: Failed to resolve import "./store/cart" from "src/App.vue". Does the file exist?',
      'Error: Could not resolve \'./utils/date\' from src/index.ts',
      '✘ [ERROR] Could not resolve "lodash-es"',
      "SyntaxError: The requested module './db.js' does not provide an export named 'pool'",
      "src/api.ts(3,10): error TS2305: Module '\"./types\"' has no exported member 'UserDto'.",
      'Error [ERR_PACKAGE_PATH_NOT_EXPORTED]: Package subpath \'./lib/util\' is not defined by "exports" in /app/node_modules/uuid/package.json',
    ],
    noMatch: ['webpack 5.91.0 compiled successfully in 4211 ms', 'resolved 1200 modules in 0.8s', 'Could not resolve peer versions; using lockfile'],
  },
  {
    name: 'framework-import',
    // Frameworks that import the application's own modules by name and report the failure
    // in their own words: app servers, DAG loaders, test collectors, .NET assembly binding.
    re: String.raw`\bImportError while (?:importing|loading)\b|\bCould not import (?:module )?["']|\bError loading ASGI app\b|\bFailed to import: \S+\.py\b|\bBroken DAG: |\bCould not load (?:file or assembly|type) '|\bFileLoadException\b|\bTypeLoadException\b|\bNo suitable driver found for\b`,
    origin: 'pytest, uvicorn/flask, airflow, .NET assembly loader, jdbc DriverManager',
    match: [
      "ImportError while importing test module '/ci/tests/test_api.py'.",
      'ERROR:    Error loading ASGI app. Could not import module "service.main".',
      "Error: Could not import 'wsgi'.",
      '[2024-03-01T10:00:00.000+0000] {dagbag.py:346} ERROR - Failed to import: /opt/airflow/dags/etl_daily.py',
      'Broken DAG: [/opt/airflow/dags/report.py] Traceback (most recent call last):',
      "Unhandled exception. System.IO.FileNotFoundException: Could not load file or assembly 'Serilog, Version=3.1.0.0, Culture=neutral, PublicKeyToken=24c2f752a8e58a10'.",
      "System.TypeLoadException: Could not load type 'Acme.Plugins.Exporter' from assembly 'Acme.Plugins, Version=1.0.0.0'.",
      'java.sql.SQLException: No suitable driver found for jdbc:postgresql://db:5432/app',
    ],
    noMatch: ['collected 212 items', 'Loaded assembly Serilog, Version=3.1.0.0', '{dagbag.py:538} INFO - Filling up the DagBag from /opt/airflow/dags'],
  },
  {
    name: 'compiled-language-imports',
    // A compiler that cannot find the module or package an import names: OCaml, GHC,
    // Scala, javac, Dart, Tcl's package require.
    re: String.raw`\bUnbound module [A-Z]\w*|\bCould not (?:find|load) module (?:‘|'|")|\bobject \w+ is not a member of package\b|\bnot found: object \w+|\berror: package [\w.]+ does not exist\b|\bCouldn't resolve the package '|\bError: Not found: 'package:|\bTarget of URI doesn't exist: 'package:|\bcan't find package [\w:]+`,
    origin: 'ocaml/dune, ghc/stack/cabal, scalac/sbt, javac, dart/flutter, tcl',
    match: [
      'File "lib/feed.ml", line 1, characters 0-12: Error: Unbound module Lwt_unix',
      "app/Feed.hs:3:1: error: Could not find module ‘Network.HTTP.Simple’",
      '[error] /builds/feed/src/main/scala/acme/Feed.scala:2:8: object cats is not a member of package org.typelevel',
      "[error] /builds/feed/src/main/scala/acme/Feed.scala:2:8: not found: object akka",
      'src/main/java/acme/Feed.java:3: error: package org.apache.commons.csv does not exist',
      "lib/feed.dart:1:8: Error: Couldn't resolve the package 'intl' in 'package:intl/intl.dart'.",
      'can\'t find package tdom',
    ],
    noMatch: ['import Network.HTTP.Simple -- resolved from http-conduit-2.3.8', 'sbt: [info] compiling 12 Scala sources to /builds/feed/target/scala-2.13/classes ...', 'package require tdom 0.9.3 ok'],
  },
]);

export const SYNTAX_ERROR = patternsOf('SyntaxError', [
  {
    name: 'python-syntax',
    re: String.raw`\bSyntaxError\b|\bIndentationError\b|\bTabError: `,
    origin: 'python, javascript',
    match: [
      'SyntaxError: invalid syntax',
      "SyntaxError: expected ':'",
      'IndentationError: unexpected indent',
      'TabError: inconsistent use of tabs and spaces in indentation',
      "SyntaxError: Unexpected token '}'",
    ],
    noMatch: ['syntax check OK: 42 files', 'lint: 0 syntax errors'],
  },
  {
    name: 'syntax-error-phrase',
    re: String.raw`(?i:\bsyntax error\b)|\bYou have an error in your SQL syntax\b|\bParse error: `,
    origin: 'bash/sh, postgresql, mysql, sqlite, php, ruby, go compiler',
    match: [
      "./deploy.sh: line 14: syntax error near unexpected token `fi'",
      '/bin/sh: 1: Syntax error: "(" unexpected',
      '2024-06-03 08:19:00.000 UTC [8890] ERROR:  syntax error at or near "FORM" at character 15',
      'ERROR 1064 (42000): You have an error in your SQL syntax; check the manual',
      "PHP Parse error:  syntax error, unexpected '}' in /var/www/html/index.php on line 88",
      './main.go:42:15: syntax error: unexpected newline in composite literal; possibly missing comma or }',
    ],
    noMatch: ['Syntax OK', 'nginx: the configuration file /etc/nginx/nginx.conf syntax is ok', 'syntax errors: 0'],
  },
  {
    name: 'compiler-expected',
    // Compilers that report the token they wanted: `';' expected`, `error: expected ')'`,
    // Kotlin's `Expecting ')'`, TypeScript's `Expression expected`.
    re: String.raw`(?:^|[\s:\]])['"]?[;:,(){}\[\]=]['"]? expected\b|\berror: expected (?:'[^'\w\s]{1,2}'|` + "`[^`\\w\\s]{1,2}`" + String.raw`|one of |(?:expression|unqualified-id|identifier|primary-expression|declaration|initializer|item|statement)\b)|\bExpecting (?:'[^'\w\s]{1,2}'|an element\b|an expression\b|member declaration\b|a top level declaration\b)|\b(?:Expression|Identifier|Declaration or statement|Property assignment|Argument expression) expected\b|\bexpected an indented block\b|'<(?:eof|name)>' expected near\b|\bInvalid expression term\b|\bNewline in constant\b|\bUnterminated (?:string|template|regular expression) literal\b`,
    origin: 'javac/maven, scala, C# (csc/dotnet build), gcc/clang, rustc, swift, kotlin, typescript, lua, python',
    match: [
      "Main.java:21: error: ';' expected",
      "[ERROR] /src/main/java/com/acme/Cart.java:[88,17] ')' expected",
      'Startup.cs(41,10): error CS1513: } expected [/src/Web/Web.csproj]',
      'Program.cs(12,33): error CS1002: ; expected',
      "src/codec.c:88:22: error: expected ';' before '}' token",
      'error: expected one of `,`, `:`, or `}`, found `=`',
      'error: expected item, found `}`',
      "e: /src/app/Main.kt: (14, 9): Expecting ')'",
      'src/routes.ts(19,1): error TS1128: Declaration or statement expected.',
      "lua: init.lua:7: '=' expected near 'cfg'",
      "luajit: rules.lua:90: '<eof>' expected near 'end'",
    ],
    noMatch: ['Compiling app v0.1.0 (/src/app)', 'BUILD SUCCESSFUL in 12s', 'expected 3 replicas, found 3', "assert: expected 'ok', got 'ok'"],
  },
  {
    name: 'parser-messages',
    // Parser wording other than `syntax error`: javac, Groovy/Jenkinsfile, ANTLR-based SQL
    // (Spark, Cassandra), SQL Server, Oracle, Lua, shells, PowerShell, ESLint, Elixir, Jinja.
    re: String.raw`\b(?:illegal start of (?:expression|type)|reached end of file while parsing|class, interface, enum, or record expected|<identifier> expected|unclosed (?:string|character) literal)\b|\berror: not a statement\b|\bunexpected token: [^\n]{1,40} @ line \d+, column \d+|\bno viable alternative at input\b|(?i:\bmismatched input '[^'\n]*'\.? expecting\b)|\bIncorrect syntax near\b|\bORA-00(?:900|905|906|907|911|917|923|933|936)\b|\bunexpected symbol near '|\bunexpected EOF while looking for matching\b|\bparse error near\b|\bParserError: |\bParsing error: (?:Unexpected|Unterminated)\b|\b(?:TokenMissing|MismatchedDelimiter)Error\b|\bTemplateSyntaxError\b|\bPatternSyntaxException\b|\bPLS-00103\b|\bEncountered the symbol "[^"\n]*" when expecting\b|\bSQL0104N\b|\bSQLSTATE[=: ]+42601\b|(?i:\ban unexpected token "[^"\n]*" was found\b)|\bModule parse failed: (?:Unexpected|Unterminated|Expecting|\x27\w+\x27 (?:and|is))\b|\bUnexpected token \(\d+:\d+\)`,
    origin: 'javac, groovy/jenkins, spark sql, cassandra cql, sql server, oracle, lua, bash, zsh, powershell, eslint, elixir, jinja2/django, java regex',
    match: [
      "ERROR in ./src/app.js Module parse failed: Unexpected token (12:8)",
      "[plugin:vite:react-babel] /src/Cart.jsx: Unexpected token (40:3)",
      "PLS-00103: Encountered the symbol \";\" when expecting one of the following:",
      "SQL0104N  An unexpected token \"WHER\" was found following \"FROM T1\".  SQLSTATE=42601",
      'OrderService.java:57: error: illegal start of expression',
      'Util.java:140: error: reached end of file while parsing',
      'WorkflowScript: 41: unexpected token: else @ line 41, column 7.',
      "org.apache.spark.sql.catalyst.parser.ParseException: mismatched input 'FORM' expecting {<EOF>, ';'}(line 1, pos 9)",
      "SyntaxException: line 1:22 no viable alternative at input 'WHERE' (SELECT * FROM users [WHERE]...)",
      "Msg 102, Level 15, State 1, Line 3 Incorrect syntax near ','.",
      'ORA-00933: SQL command not properly ended',
      "lua: worker.lua:33: unexpected symbol near 'then'",
      "./release.sh: line 40: unexpected EOF while looking for matching `\"'",
      '/src/app/api.js  12:5  error  Parsing error: Unexpected token )',
      '** (TokenMissingError) lib/acme/router.ex:88:1: missing terminator: end',
      "jinja2.exceptions.TemplateSyntaxError: unexpected '}'",
    ],
    noMatch: ['javac: 42 source files compiled', 'eslint: 0 problems (0 errors, 0 warnings)', 'parsed 1200 statements in 0.4s', 'token refreshed @ line rate 1/s'],
  },
  {
    name: 'parsers-beyond-c-family',
    re: String.raw`(?i:\bparse error on input\b)|\bparse error \(possibly incorrect indentation|\bsyntax: (?:incomplete|unexpected|extra token|invalid|missing|unbalanced)\b|\bunexpected (?:'[^'\s]+'|symbol|string constant|numeric constant|input|end of input) in "|\bError: Expected '[^'\s]+' (?:after|before) this\b|\bmissing close-(?:brace|bracket|paren)\b|\bextra characters after close-(?:brace|quote)\b|\bcheck for mismatched delimiters\b|\busage might be invalid MATLAB syntax\b|\bParseException line \d+:\d+\b|\bParsingException: line \d+:\d+: |\bcannot recognize input near\b`,
    origin: "GHC (Haskell), Julia, R, Dart, Tcl, MATLAB/Octave, Hive/Trino/Presto SQL parsers",
    match: [
      "app/Main.hs:14:3: error: parse error on input ‘=’",
      "ERROR: LoadError: syntax: unexpected \")\"",
      "Error: unexpected symbol in \"x y\"",
      "lib/app.dart:40:18: Error: Expected ')' before this.",
      "missing close-bracket",
      "Error: Parse error at '=': usage might be invalid MATLAB syntax.",
      "FAILED: ParseException line 2:7 missing EOF at 'LIMT' near '10'",
      "io.prestosql.sql.parser.ParsingException: line 1:8: mismatched input 'FRM'. Expecting: <expression>",
      "NoViableAltException: cannot recognize input near 'SELEC' '*' 'FROM'",
    ],
    noMatch: ["parsed 12 modules in 0.4s", "julia> syntax highlighting enabled", "Hive: query parsed and compiled in 120 ms"],
  },
]);

export const VALUE_ERROR = patternsOf('ValueError', [
  {
    name: 'value-error-classes',
    re: String.raw`\bValueError\b|\bUnicode(?:(?:De|En)code)?Error\b|NumberFormatException\b|\bIllegalArgumentException\b|\bDateTimeParseException\b|\bSystem\.(?:FormatException|Argument\w*Exception|InvalidCastException|OverflowException|DivideByZeroException)\b|\bRangeError: |\bERR_INVALID_ARG_(?:VALUE|TYPE)\b|\bERR_OUT_OF_RANGE\b|\bZeroDivisionError\b|\bOverflowError: |\bArithmeticException\b|\bbinascii\.Error\b|\bInvalidFormatException\b`,
    origin: 'python, jvm, .NET, node.js',
    match: [
      "ValueError: invalid literal for int() with base 10: 'twelve'",
      "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
      'java.lang.NumberFormatException: For input string: "12a"',
      'System.FormatException: Input string was not in a correct format.',
      'RangeError: Invalid array length',
      'org.apache.spark.SparkNumberFormatException: [CAST_INVALID_INPUT] The value \'n/a\' of the type "STRING" cannot be cast to "BIGINT"',
      'java.time.format.DateTimeParseException: Text \'2024-13-01\' could not be parsed: Invalid value for MonthOfYear',
      'System.InvalidCastException: Unable to cast object of type \'System.String\' to type \'System.Int32\'.',
      'ZeroDivisionError: division by zero',
      'java.lang.ArithmeticException: / by zero',
      'binascii.Error: Incorrect padding',
    ],
    noMatch: ['value error rate 0.00% over 1200 samples', 'validated 120 values, 0 errors', 'overflow check: 0 counters wrapped'],
  },
  {
    name: 'parse-value',
    re: String.raw`\bstrconv\.\w+: parsing \\?"[^"]*"?: (?:invalid syntax|value out of range)|\bparsing time \\?"[^"\\]*\\?"(?: as|: )|\bjson: cannot unmarshal\b|\bParse(?:Int|Float)Error\b|\binvalid digit found in string\b|\binvalid input syntax for type\b|\bIncorrect \w+ value: `,
    origin: 'go (strconv, encoding/json), rust (str::parse), postgresql, mysql',
    match: [
      'strconv.Atoi: parsing "12a": invalid syntax',
      'level=warn msg="bad limit" err="strconv.ParseInt: parsing \\"-x\\": invalid syntax"',
      'parsing time "2024-13-01" as "2006-01-02": cannot parse "13-01" as "01"',
      'json: cannot unmarshal string into Go struct field Config.port of type int',
      'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }',
      '2024-06-03 08:20:00.000 UTC [8900] ERROR:  invalid input syntax for type integer: "abc"',
      "ERROR 1366 (HY000): Incorrect integer value: 'n/a' for column 'qty' at row 1",
    ],
    noMatch: ['parsed 1200 values, all valid', 'strconv.Atoi("12") = 12'],
  },
  {
    name: 'type-and-argument-errors',
    // The wrong kind of value handed to an operation: TypeError as Python, JavaScript and
    // PHP raise it, Ruby/Elixir ArgumentError, schema validation of an input payload.
    // A TypeError on undefined/None is a failed lookup: KeyError outranks this.
    re: String.raw`\bTypeError(?:: |\))|\bArgumentError\b|\bDate::Error\b|\binvalid value for (?:Integer|Float|Rational|Complex|BigDecimal)\(\)|\bArithmeticError\b|\bexception error: bad argument\b|\bValidationError: |\b\d+ validation errors? for \w+|\bInvalidArgumentException\b|\bstd::invalid_argument\b|\bValidationException\b|\bThe given data was invalid\b|\binvalid value \x27[^\x27\n]*\x27 for \x27--?[\w-]+|\binvalid value "[^"\n]*" for flag -`,
    origin: 'python, javascript/node, php 8, ruby, elixir/erlang, pydantic/marshmallow/jsonschema/joi, laravel, c++',
    match: [
      "local.ERROR: The given data was invalid. {\"exception\":\"[object] (Illuminate\\\\Validation\\\\ValidationException(code: 0)",
      "error: invalid value '12x' for '--workers <N>': invalid digit found in string",
      "invalid value \"abc\" for flag -port: parse error",
      "TypeError: unsupported operand type(s) for -: 'str' and 'int'",
      "TypeError: can only concatenate str (not \"int\") to str",
      'PHP Fatal error:  Uncaught TypeError: round(): Argument #1 ($num) must be of type int|float, string given in /srv/app/report.php:40',
      "sync.rb:12:in `+': no implicit conversion of nil into String (TypeError)",
      "ArgumentError: invalid value for Float(): \"1,5\"",
      "Date::Error: invalid date",
      '** (ArgumentError) errors were found at the given arguments:',
      '** (ArithmeticError) bad argument in arithmetic expression',
      'pydantic_core._pydantic_core.ValidationError: 2 validation errors for Payment',
      "jsonschema.exceptions.ValidationError: 'abc' is not of type 'integer'",
      'ValidationError: "email" must be a valid email',
      'InvalidArgumentException: Unsupported currency "XYZ"',
    ],
    noMatch: ['typecheck: 0 errors in 212 files', 'validation passed for 120 orders', 'argument parsing done: 4 flags', 'ValidationErrors=0 in last window'],
  },
  {
    name: 'sql-value',
    // A statement whose values do not fit the column or the operator, as each SQL engine says it.
    re: String.raw`\bvalue too long for type\b|\bnumeric field overflow\b|\bdate/time field value out of range\b|\binvalid input value for enum\b|\bERROR:\s+division by zero\b|\bData too long for column\b|\bOut of range value for column\b|\bTruncated incorrect \w+ value\b|\bConversion failed when converting\b|\bString or binary data would be truncated\b|\bORA-(?:01722|01843|01858|12899|01438)\b|\[(?:CAST_INVALID_INPUT|CAST_OVERFLOW|DIVIDE_BY_ZERO|NUMERIC_VALUE_OUT_OF_RANGE|ARITHMETIC_OVERFLOW)\]|\bORA-01861\b|(?i:\bliteral does not match format string\b)|\bSQLSTATE[=: ]+22[0-9A-Z]{3}\b|(?i:\bcannot convert value "[^"\n]*" to type\b)|\bInput string was not in a correct format\b`,
    origin: 'postgresql, mysql, sql server, oracle, spark sql',
    match: [
      "ORA-01861: literal does not match format string",
      "SQL0180N  The syntax of the string representation of a datetime value is incorrect.  SQLSTATE=22007",
      "Cannot convert value \"12a\" to type \"System.Int32\". Error: \"Input string was not in a correct format.\"",
      'ERROR:  value too long for type character varying(64)',
      'ERROR:  date/time field value out of range: "2024-02-30"',
      "ERROR 1406 (22001): Data too long for column 'title' at row 1",
      "ERROR 1264 (22003): Out of range value for column 'qty' at row 1",
      "Msg 245, Level 16, State 1, Line 1 Conversion failed when converting the varchar value 'N/A' to data type int.",
      'ORA-01722: invalid number',
      'org.apache.spark.SparkArithmeticException: [DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead.',
    ],
    noMatch: ['column title: varchar(64), 0 rows truncated', 'spark.sql.ansi.enabled=true', 'ORA-00000: normal, successful completion'],
  },
  {
    name: 'tensor-shape-and-dtype',
    // Tensors of the wrong shape, dtype or device handed to an operation: invalid input.
    re: String.raw`(?i:\bshapes? cannot be multiplied\b)|\bExpected all tensors to be on the same device\b|\bexpected scalar type \w+ but found \w+\b|(?i:\bincompatible shapes?: \[)|\bIncompatible shapes: `,
    origin: 'pytorch, tensorflow/keras',
    match: [
      'RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x128 and 256x10)',
      'RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!',
      'RuntimeError: expected scalar type Float but found Half',
      'InvalidArgumentError: Incompatible shapes: [32,10] vs. [32,12]',
    ],
    noMatch: ['tensor shapes: (32, 128) -> (32, 10)'],
  },
  {
    name: 'db2-invalid-argument',
    re: String.raw`\bSQL0420N\b|\bInvalid character found in a character string argument\b`,
    origin: 'db2',
    match: [
      'SQL0420N  Invalid character found in a character string argument of the function "DECIMAL".  SQLSTATE=22018',
    ],
    noMatch: ['SQL0000W  Statement processing was successful.'],
  },
  {
    name: 'conversion-cast-and-shape',
    re: String.raw`(?i:\b(?:could not|cannot|can't|unable to|failed to) (?:parse|cast|convert) (?:string |value )?'[^'\n]*' (?:as|to|into) (?:type )?[A-Za-z]\w*)|\bcannot be cast to\b|\bCastError\b|\bPrelude\.read: no parse\b|\bFailure\("(?:int|float|bool|int32|int64|nativeint)_of_string"\)|\bFatal error: (?:Can't form Range|Division by zero|(?:Double|Float) value cannot be converted|Not enough bits to represent|Negative value is not representable)|\bis not a subtype of type\b|\bcharacter string is not in a standard unambiguous format\b|\bnon-numeric argument to (?:binary operator|mathematical function)\b|\barguments imply differing number of rows\b|(?i:\bnumeric value '[^'\n]*' is not recognized\b)|\b\d{6} \(22[0-9A-Z]{3}\): |\bFortran runtime error: Bad (?:integer|real|logical|complex|value)\b|\bNumber of elements must not change\b|\bArrays have incompatible sizes for this operation\b|\bMatrix dimensions must agree\b|\bDimensions of arrays being concatenated are not consistent\b|\bIncorrect dimensions for matrix multiplication\b|\{badarith,|\bbadarith\b|\{badmatch,|\(MatchError\) no match of right hand side value\b|\bFunctionClauseError\b|\{function_clause,|\{case_clause,|\(CaseClauseError\)`,
    // Above SyntaxError (25): "Cannot parse string 'x' as UInt32: syntax error at begin of string" is a value.
    priority: 26,
    origin: "SQL engines (Trino, ClickHouse, BigQuery, Snowflake SQLSTATE 22xxx), Elixir/Ecto, Erlang, Haskell, OCaml, Swift, Dart, R, Fortran, MATLAB, Java casts",
    match: [
      "Code: 27. DB::Exception: Cannot parse input: expected ',' before: 'x': Cannot parse string 'x1' as Int64: syntax error at begin of string.",
      "Query failed: Cannot cast 'n/a' to BIGINT",
      "Error while reading data, error message: Could not parse '2026-13-01' as DATE for field day",
      "** (Ecto.Query.CastError) value `\"x\"` in `where` cannot be cast to type :integer in query:",
      "java.lang.ClassCastException: class java.lang.String cannot be cast to class java.lang.Long",
      "report: Prelude.read: no parse",
      "Fatal error: exception Failure(\"float_of_string\")",
      "Fatal error: Double value cannot be converted to Int because it is either infinite or NaN",
      "Unhandled Exception: type 'Null' is not a subtype of type 'String'",
      "Error in as.POSIXlt.character(x, tz, ...) : character string is not in a standard unambiguous format",
      "Error in x + 1 : non-numeric argument to binary operator",
      "100038 (22018): Numeric value 'abc' is not recognized",
      "Fortran runtime error: Bad real number in item 2 of list input",
      "Error using  .*  Matrix dimensions must agree.",
      "** exception error: an error occurred when evaluating an arithmetic expression {badarith,[{calc,div,2}]}",
      "** (MatchError) no match of right hand side value: {:error, :enoent}",
    ],
    noMatch: ["converted 1200 values to INT64", "cast check passed for 14 columns", "matrix dimensions: 3x3", "parsed string as UInt32 in 2 ms"],
  },
]);

export const KEY_ERROR = patternsOf('KeyError', [
  {
    name: 'python-keyerror',
    // No leading \b: Django's MultiValueDictKeyError and other subclasses end in KeyError.
    re: String.raw`KeyError(?::|\))|KeyError\([\x27"\d]`,
    origin: 'python (incl. Django MultiValueDictKeyError), ruby',
    match: [
      "Task app.tasks.sync[1f2e] raised unexpected: KeyError('tenant')",
      "KeyError: 'model_path'",
      'KeyError: 0',
      "django.utils.datastructures.MultiValueDictKeyError: 'username'",
      "app.rb:33:in `fetch': key not found: :api_key (KeyError)",
    ],
    noMatch: ["cache miss for key 'user:42' (not found, fetching from origin)", 'KeyErrors=0 in last window'],
  },
  {
    name: 'key-not-found',
    re: String.raw`\bKeyNotFoundException\b|\bNoSuchElementException: key not found\b|\bKey \S+ is missing in the map\b|\bmap has no entry for key\b|\bwhat\(\):\s+(?:_Map_base|map)::at\b|\bJSONObject\["[^"]+"\] not found\b`,
    origin: '.NET, scala/jvm collections',
    match: [
      "System.Collections.Generic.KeyNotFoundException: The given key 'tenant-42' was not present in the dictionary.",
      'java.util.NoSuchElementException: key not found: spark.executor.memory',
      'java.util.NoSuchElementException: Key region is missing in the map.',
      'template: report.tmpl:4:18: executing "report.tmpl" at <.Fields.owner>: map has no entry for key "owner"',
      "  what():  _Map_base::at",
      'org.json.JSONException: JSONObject["userId"] not found.',
    ],
    noMatch: ['key not found in cache, loading user 42 from database', 'java.util.NoSuchElementException handler registered'],
  },
  {
    name: 'missing-index-or-attribute',
    // A lookup that found nothing, as each runtime words it: an index past the end, an
    // attribute or property read on None/undefined/nil, an array key that is not there.
    re: String.raw`\bIndexError: |\bAttributeError: 'NoneType' object has no attribute\b|\b(?:Array|String)?IndexOutOfBoundsException\b|\bIndexOutOfRangeException\b|\bTypeError: Cannot read propert(?:y|ies) of (?:undefined|null)\b|\bundefined is not an object \(evaluating\b|\bundefined method [^ ]+ for nil\b|\bUndefined (?:array key|index|offset)\b|\bNoSuchElementException: No value present\b|\bhas no attribute '[^']+'`,
    origin: 'python, jvm, .NET, node.js/V8, safari/JSC, ruby, php, jinja2',
    match: [
      'IndexError: list index out of range',
      'IndexError: index 7 is out of bounds for axis 0 with size 4',
      "AttributeError: 'NoneType' object has no attribute 'shape'",
      'java.lang.ArrayIndexOutOfBoundsException: Index 3 out of bounds for length 3',
      'System.IndexOutOfRangeException: Index was outside the bounds of the array.',
      "TypeError: Cannot read properties of undefined (reading 'id')",
      "TypeError: undefined is not an object (evaluating 'cfg.port')",
      "NoMethodError: undefined method `name' for nil:NilClass",
      'PHP Warning:  Undefined array key "sku" in /srv/app/cart.php on line 12',
      'java.util.NoSuchElementException: No value present',
    ],
    noMatch: ['index 3 of 10 rebuilt', 'attribute cache warmed (1200 entries)', 'reading properties of user 42', 'Optional value present: yes'],
  },
  {
    name: 'null-dereference',
    // A member read through a reference that holds nothing: the value looked up was absent.
    // Same family as Python's 'NoneType' object has no attribute and JS's undefined reads.
    re: String.raw`NullPointerException\b|\bNullReferenceException\b|\bObject reference not set to an instance of an object\b|\bCall to a member function \w+\(\) on null\b|\bNull check operator used on a null value\b|\bTypeError: null is not an object\b|\bCannot set propert(?:y|ies) of (?:undefined|null)\b|\bCannot destructure property '[^']+' of '[^']+' as it is (?:undefined|null)\b|'NoneType' object is not subscriptable\b|\battempt to index a nil value\b|\bCannot index into a null array\b|\bYou cannot call a method on a null-valued expression\b|\battempt to (?:index|call) (?:a nil value|(?:local|global|field|upvalue|method) \x27[^\x27\n]*\x27 \(a nil value\))`,
    origin: 'jvm/kotlin, .NET, php 8, dart/flutter, safari/JSC, v8, python, lua',
    match: [
      "lua entry thread aborted: runtime error: /etc/nginx/lua/acl.lua:9: attempt to index field 'headers' (a nil value)",
      "You cannot call a method on a null-valued expression.",
      "Cannot index into a null array.",
      'java.lang.NullPointerException: Cannot invoke "com.acme.Account.getId()" because "account" is null',
      'kotlin.KotlinNullPointerException',
      'System.NullReferenceException: Object reference not set to an instance of an object.',
      'PHP Fatal error:  Uncaught Error: Call to a member function format() on null in /srv/app/Report.php:19',
      'Null check operator used on a null value',
      "TypeError: Cannot destructure property 'id' of 'req.params' as it is undefined.",
      "TypeError: 'NoneType' object is not subscriptable",
      "lua: handler.lua:40: attempt to index a nil value (field 'headers')",
    ],
    noMatch: ['null check passed for 1200 rows', 'NullPointer checks enabled (strict mode)', 'reference count: 0 objects pending'],
  },
  {
    name: 'empty-sequence-and-iterator',
    re: String.raw`\bSequence contains no (?:matching )?elements?\b|\bjava\.util\.NoSuchElementException\s*$`,
    origin: '.NET LINQ, java iterators',
    match: [
      'System.InvalidOperationException: Sequence contains no elements',
      'Exception in thread "main" java.util.NoSuchElementException',
    ],
    noMatch: ['sequence contains 12 elements'],
  },
  {
    name: 'missing-values-across-runtimes',
    re: String.raw`\bUninitializedPropertyAccessException\b|\blateinit property \w+ has not been initialized\b|\bFatal error: (?:Index out of range|Unexpectedly found nil while (?:implicitly )?unwrapping an Optional value)\b|\bRangeError \((?:index|length)\): |\bBad state: No element\b|\{badkey,|\bgiven key is not an element in the map\b|\bPrelude\.(?:head|tail|last|init|!!|maximum|minimum|foldr1|foldl1): (?:empty list|index too large|negative index)\b|\bexception Not_found\b|\bInvalid_argument\("index out of bounds"\)|\bCan't call method "\w+" on (?:an undefined value|unblessed reference)\b|\bCan't use an undefined value as an? (?:ARRAY|HASH|SCALAR|CODE) reference\b|\bno such element in array\b|\bkey "[^"\n]*" not known in dictionary\b|(?i:\bsubscript out of (?:bounds|range)\b)|\bobject '[^'\n]+' not found\b|\bIndex exceeds (?:the number of array elements|matrix dimensions)\b|\bIndex in position \d+ exceeds array bounds\b|\bFortran runtime error: Index '-?\d+' of dimension \d+ of array`,
    origin: "Kotlin, Swift, Dart, Erlang, Haskell, OCaml, Perl, Tcl, R, VBA, MATLAB, Fortran",
    match: [
      "kotlin.UninitializedPropertyAccessException: lateinit property adapter has not been initialized",
      "Fatal error: Index out of range",
      "RangeError (length): Invalid value: Valid value range is empty: 0",
      "Bad state: No element",
      "** exception error: {badkey,user_id}",
      "Map.!: given key is not an element in the map",
      "Prelude.head: empty list",
      "Fatal error: exception Not_found",
      "Can't use an undefined value as a HASH reference at lib/Cfg.pm line 40.",
      "can't read \"opts(host)\": no such element in array",
      "Run-time error '9': Subscript out of range",
      "Error in eval(expr, envir, enclos) : object 'price' not found",
      "Index exceeds matrix dimensions.",
      "Fortran runtime error: Index '11' of dimension 1 of array 'buf' above upper bound of 10",
    ],
    noMatch: ["lateinit property initialized in onCreate", "subscript bounds checked: ok", "index build finished: 3 arrays"],
  },
  {
    name: 'panic-on-missing-value',
    re: String.raw`called \x60Option::(?:unwrap|expect)\(\)\x60 on a \x60None\x60 value|\bindex out of bounds: the len is \d+ but the index is \d+|\bpanic: runtime error: (?:index|slice bounds) out of range\b|\bpanic: assignment to entry in nil map\b`,
    // The root cause outranks the crash it causes (ProcessCrash 55): a panic on a None or an
    // out-of-range index is this KeyError, as Python's uncaught KeyError is. (Go's nil-pointer
    // dereference stays a crash, like a segfault.)
    priority: 56,
    origin: "Rust and Go panics whose cause is a missing value or index",
    match: [
      "thread 'main' panicked at src/cfg.rs:20:31:\ncalled `Option::unwrap()` on a `None` value",
      "thread 'worker-3' panicked at 'index out of bounds: the len is 4 but the index is 9', src/ring.rs:77:13",
      "panic: runtime error: index out of range [7] with length 7",
      "panic: assignment to entry in nil map",
    ],
    noMatch: ["let v = opt.unwrap_or(0); // never None here", "bounds check ok: len 4, index 3"],
  },
]);

export const MISSING_DEPENDENCY = patternsOf('MissingDependency', [
  {
    name: 'command-not-found',
    re: String.raw`(?i:\bcommand not found\b)|\bsh: (?:line )?\d+: [^:]+: not found\b|is not recognized as an internal or external command|\bexecutable file not found in \$PATH\b|/usr/bin/env: '?[^':]+'?: No such file or directory|\bmake(?:\[\d+\])?: [\w.+-]+: No such file or directory|(?i:\bis not installed\b.*\bplease install\b)|(?i:\b(?:library|binary|executable) not found\b)|\bThe term '[^']+' is not recognized as (?:the name of )?a cmdlet\b|\bCannot run program "[^"]+"[^\n]{0,40}error=2\b|\bspawn \S+ ENOENT\b|\bCould NOT find \w+|\bNo CMAKE_\w+_COMPILER could be found\b|\bno acceptable C compiler found\b|\bMicrosoft Visual C\+\+ [\d.]+ or greater is required\b|\bgyp ERR! find (?:Python|VS)\b|\bexecve?\(\): [^\s:]+: No such file or directory\b|\bexecvp?(?:\([^)\n]*\))?(?: failed)?: No such file or directory\b`,
    origin: 'bash, dash, cmd.exe, go os/exec, docker/runc, env, make',
    match: [
      "slurmstepd: error: execve(): singularity: No such file or directory",
      "execvp(/usr/bin/node) failed: No such file or directory",
      "RuntimeError: ffprobe is not installed. Please install ffmpeg first.",
      'bash: nvidia-smi: command not found',
      'sh: 1: webpack: not found',
      "'tsc' is not recognized as an internal or external command,",
      'exec: "ffmpeg": executable file not found in $PATH',
      "/usr/bin/env: 'python': No such file or directory",
      'make: gcc: No such file or directory',
      "helm : The term 'helm' is not recognized as the name of a cmdlet, function, script file, or operable program.",
      'java.io.IOException: Cannot run program "pdftotext": error=2, No such file or directory',
      'Error: spawn chromium ENOENT',
      'CMake Error at CMakeLists.txt:12 (find_package): Could NOT find ZLIB (missing: ZLIB_LIBRARY ZLIB_INCLUDE_DIR)',
      'error: Microsoft Visual C++ 14.0 or greater is required. Get it with "Microsoft C++ Build Tools"',
    ],
    noMatch: [
      "optional dependency sndfile is not installed; audio export disabled",'which ffmpeg: /usr/bin/ffmpeg', 'command completed: exit 0'],
  },
  {
    name: 'shared-library',
    re: String.raw`\berror while loading shared libraries\b|\bcannot open shared object file\b|\bDLL load failed\b|\bLibrary not loaded: |\bUnsatisfiedLinkError\b|\bcannot find -l[\w+.-]+|\bfatal error: [\w/.+-]+\.h(?:pp)?: No such file or directory|\bDllNotFoundException\b|\bUnable to load (?:shared library|DLL) '`,
    origin: 'ld.so, python (ctypes, extension modules), dyld, jvm, ld, gcc/clang',
    match: [
      'ImportError: libcudart.so.12: cannot open shared object file: No such file or directory',
      './bin/server: error while loading shared libraries: libssl.so.1.1: cannot open shared object file: No such file or directory',
      'ImportError: DLL load failed while importing _imaging: The specified module could not be found.',
      'dyld[4412]: Library not loaded: @rpath/libtorch_cpu.dylib',
      'java.lang.UnsatisfiedLinkError: no opencv_java455 in java.library.path',
      '  = note: /usr/bin/ld: cannot find -lssl: No such file or directory',
      'src/tls.c:3:10: fatal error: openssl/ssl.h: No such file or directory',
      "System.DllNotFoundException: Unable to load shared library 'libgdiplus' or one of its dependencies.",
    ],
    noMatch: ['ldconfig: /usr/local/cuda/lib64 added to cache', 'loaded shared library libcudart.so.12'],
  },
  {
    name: 'missing-executable-python',
    // subprocess of a bare program name that is not installed: FileNotFoundError naming a
    // word without a path or extension is the executable, not a data file.
    re: String.raw`\bFileNotFoundError: \[Errno 2\] No such file or directory: '[A-Za-z0-9_+-]+'$`,
    origin: 'python subprocess',
    match: ["FileNotFoundError: [Errno 2] No such file or directory: 'ffprobe'"],
    noMatch: ['ffprobe found at /usr/bin/ffprobe (version 6.1)']
  },
  {
    name: 'package-resolution',
    re: String.raw`\bCould not find a version that satisfies the requirement\b|\bNo matching distribution found for\b|\bDistributionNotFound\b|\bERESOLVE\b|\bnpm ERR! 404 Not Found\b|\bCould not resolve dependencies for project\b|\bCould not find artifact\b|\bCould not resolve all (?:files|dependencies) for configuration\b|\bE: Unable to locate package\b|\bhas no installation candidate\b|\bno matching package named\b|\bno required module provides package\b|\bPackage \S+ was not found in the pkg-config search path\b|\bCould not find directory of \w+ installation\b|\bCould not find [\w.-]+:[\w.-]+:[\w.+-]+\.|\bNon-resolvable (?:parent|import) POM\b|\bcannot find package "[^"]+" in any of\b|\binvalid version: unknown revision\b|\bmissing go\.sum entry\b`,
    origin: 'pip, setuptools, npm, maven, gradle, apt, cargo, go modules, pkg-config',
    match: [
      'ERROR: No matching distribution found for torch==1.4.0+cu92',
      "pkg_resources.DistributionNotFound: The 'tqdm>=4.62' distribution was not found and is required by the application",
      'npm ERR! ERESOLVE unable to resolve dependency tree',
      '[ERROR] Failed to execute goal on project billing: Could not resolve dependencies for project com.example:billing:jar:1.4.0',
      'E: Unable to locate package libcudnn9',
      'main.go:9:2: no required module provides package github.com/acme/shared/logx; to add it:',
      'Package openssl was not found in the pkg-config search path.',
      "> Could not find com.acme:billing-api:2.4.1.",
      'go: github.com/acme/logx@v1.9.0: invalid version: unknown revision v1.9.0',
      'main.go:5:2: missing go.sum entry for module providing package github.com/acme/shared/cfg; to add:',
    ],
    noMatch: ['Successfully installed torch-2.2.0 tqdm-4.66.1', 'added 1200 packages, and audited 1201 packages in 14s'],
  },
  {
    name: 'package-conflicts',
    // A package manager that cannot find or reconcile what the project declares: no such
    // package or version, or versions that conflict. Each manager in its own words.
    re: String.raw`\bhave conflicting dependencies\b|\bResolutionImpossible\b|\b(?:Contextual)?VersionConflict\b|\bPackages?NotFoundError\b|\b(?:LibMamba)?UnsatisfiableError\b|\bnot available from current channels\b|\bCould not solve for environment specs\b|\bnothing provides \S+ needed by\b|\bfailed to select a version for\b|\bCould not find gem '|\bin locally installed gems\b|\bGemNotFound\b|\bGem::MissingSpec(?:Version)?Error\b|(?i:\bcould not find compatible versions for\b)|\bYour requirements could not be resolved to an installable set of packages\b|\bcould not be found in any version\b|\bnpm (?:ERR!|error) code E(?:404|TARGET)\b|\bNo matching version found for\b|\bCouldn't find any versions for "|\bCouldn't find package "|\bERR_PNPM_(?:NO_MATCHING_VERSION|FETCH_404|PEER_DEP_ISSUES)\b|\bConflicting peer dependency\b|\bNU110[123]\b|\bhave unmet dependencies\b|\bheld broken packages\b|\bdependency problems prevent configuration\b|\bNo match for argument: |\bUnable to find a match: |\bunable to select packages\b|\berror: target not found: |\bNo available formula with the name\b|(?i:\bcannot satisfy (?:the following )?dependencies\b)|\bsatisfy_dependencies_for\b|\bFailed to build gem native extension\b|\bGem::Ext::BuildError\b|\bFailed building wheel for\b|\bCould not build wheels for\b|\bgyp ERR! build error\b`,
    origin: 'pip, setuptools, conda/mamba, dnf, cargo, bundler/rubygems, composer, npm, yarn, pnpm, nuget, apt/dpkg, apk, pacman, homebrew',
    match: [
      "ERROR: Failed building wheel for psycopg2",
      "gyp ERR! build error",
      "Gem::Ext::BuildError: ERROR: Failed to build gem native extension.",
      "opkg: Cannot satisfy the following dependencies for luci-app-sqm: kmod-sched-cake",
      'ERROR: Cannot install fastapi==0.110.0 and starlette==0.38.2 because these package versions have conflicting dependencies.',
      "pkg_resources.ContextualVersionConflict: (protobuf 5.27.0 (/opt/venv/lib/python3.12/site-packages), Requirement.parse('protobuf<5'), {'grpcio-tools'})",
      'PackagesNotFoundError: The following packages are not available from current channels:',
      'error    libmamba Could not solve for environment specs',
      'error: failed to select a version for `tokio`.',
      "Could not find gem 'sidekiq (~> 7.2)' in locally installed gems.",
      'Bundler could not find compatible versions for gem "rack":',
      'Your requirements could not be resolved to an installable set of packages.',
      'npm error notarget No matching version found for left-pad@^9.0.0.',
      'error Couldn\'t find any versions for "react-dom" that matches "^21.0.0"',
      'error NU1101: Unable to find package Acme.Telemetry. No packages exist with this id in source(s): nuget.org',
      'The following packages have unmet dependencies:',
      'Error: Unable to find a match: python3.13-devel',
      'ERROR: unable to select packages:',
    ],
    noMatch: ['Successfully installed fastapi-0.110.0 starlette-0.36.3', 'Bundle complete! 42 Gemfile dependencies, 118 gems now installed.', 'Resolving dependencies... done', 'Package operations: 12 installs, 0 updates, 0 removals', 'resolved 0 conflicting dependencies'],
  },
  {
    name: 'runtime-and-providers',
    // The runtime, framework, provider or collection the program needs is not installed
    // where it runs: .NET shared frameworks, a JVM too old for the class files, Terraform
    // providers and modules, Helm chart dependencies, Ansible collections and libraries.
    re: String.raw`\bThe framework '[^']+', version '[^']+'[^\n]{0,12} was not found\b|\bIt was not possible to find any (?:compatible framework version|installed \.NET)\b|\bYou must install or update \.NET\b|\bcompiled by a more recent version of the Java Runtime\b|\bFailed to query available provider packages\b|\bCould not retrieve the list of available versions for provider\b|\bdoes not have a provider named\b|\bFailed to install provider\b|\bError: Module not installed\b|\bbut missing in charts/ directory\b|\bno repository definition for\b|\bcouldn't resolve module/action '|\bFailed to import the required Python library\b|\bPackageNotFoundError: No package metadata was found\b`,
    origin: '.NET host, jvm, terraform, helm, ansible, python importlib.metadata',
    match: [
      "The framework 'Microsoft.NETCore.App', version '6.0.0' (arm64) was not found.",
      'Exception in thread "main" java.lang.UnsupportedClassVersionError: com/acme/App has been compiled by a more recent version of the Java Runtime (class file version 65.0), this version of the Java Runtime only recognizes class file versions up to 61.0',
      '│ Error: Failed to query available provider packages',
      '│ Could not retrieve the list of available versions for provider acme/widgets: no available releases match the given constraints',
      'Error: found in Chart.yaml, but missing in charts/ directory: redis',
      "ERROR! couldn't resolve module/action 'community.postgresql.postgresql_db'. This often indicates a misspelling, missing collection, or incorrect module path.",
      'fatal: [web-1]: FAILED! => {"changed": false, "msg": "Failed to import the required Python library (psycopg2) on web-1\'s Python /usr/bin/python3."}',
      'importlib.metadata.PackageNotFoundError: No package metadata was found for acme-sdk',
    ],
    noMatch: ['Terraform has been successfully initialized!', '- Installing hashicorp/aws v5.40.0...', 'helm dependency build: Saving 1 charts', 'Microsoft.NETCore.App 8.0.4 [/usr/share/dotnet/shared/Microsoft.NETCore.App]'],
  },
  {
    name: 'container-image',
    // The workload's image could not be obtained. Priority 40 (below the network and access
    // types) so that a pull line naming its cause — a registry name that does not resolve,
    // refused credentials, a timeout — is that cause, as the README's precedence says.
    priority: 40,
    re: String.raw`\bImagePullBackOff\b|\bErrImagePull\b|\bFailed to pull image\b|\bmanifest unknown\b`,
    origin: 'kubernetes kubelet, docker/containerd registries',
    match: [
      'api-6c7f9d-4kx2z   0/1     ImagePullBackOff   0          3m',
      'Warning  Failed  kubelet  Error: ErrImagePull',
      'Warning  Failed  kubelet  Failed to pull image "registry.example.com/api:v2.3.1": rpc error: code = NotFound',
    ],
    noMatch: ['Normal  Pulled  kubelet  Successfully pulled image "registry.example.com/api:v2.3.1" in 2.1s', 'Normal  Pulling  kubelet  Pulling image "registry.example.com/api:v2.3.1"'],
  },
  {
    name: 'systemd-exec',
    re: String.raw`\bFailed to locate executable\b|\bFailed at step EXEC spawning \S+: No such file or directory`,
    origin: 'systemd',
    match: ['systemd[4411]: api.service: Failed at step EXEC spawning /opt/api/bin/server: No such file or directory', 'systemd[4411]: api.service: Failed to locate executable /opt/api/bin/server: No such file or directory'],
    noMatch: ['systemd[1]: Started api.service - API server.'],
  },
  {
    name: 'unmet-and-missing-runtime',
    re: String.raw`, but you have \S+ \S+ which is incompatible\b|\bDepends: \S+ (?:\([^)\n]*\) )?but (?:it is not going to be installed|it is not installable|\S+ is to be installed)\b|(?i:\bunmet dependencies\b)|\bThe program can't start because \S+ is missing\b|\b\S+\.dll (?:is|was) (?:missing|not found)\b|\bThe following module\(s\) are unknown\b|\bBy not providing "Find\S+\.cmake"|\bCould not find a package configuration file provided by\b`,
    origin: 'pip resolver, apt, windows loader, lmod, cmake',
    match: [
      'vllm 0.6.0 requires torch==2.4.0, but you have torch 2.3.1 which is incompatible.',
      ' libfoo-dev : Depends: libfoo1 (= 1.2-3) but it is not going to be installed',
      "The program can't start because MSVCP140.dll is missing from your computer.",
      'Lmod has detected the following error:  The following module(s) are unknown: "cuda/13.0"',
      '  By not providing "FindTorch.cmake" in CMAKE_MODULE_PATH this project has',
    ],
    noMatch: ['all dependencies satisfied', 'module load cuda/12.4: ok'],
  },
  {
    name: 'aspnet-runtime',
    re: String.raw`\bHTTP Error 500\.3[01]\b|\bFailed to load ASP\.NET Core runtime\b`,
    origin: 'iis / asp.net core module',
    match: [
      'HTTP Error 500.31 - Failed to load ASP.NET Core runtime',
    ],
    noMatch: ['ASP.NET Core runtime 8.0.4 loaded'],
  },
  {
    name: 'ecosystem-resolvers',
    // Package managers outside the mainstream that cannot find or resolve a declared
    // dependency, each in its own words: PubGrub (dart pub, poetry, uv), Julia Pkg, cabal,
    // rebar3 and mix, cpanm, R's install.packages, BitBake.
    re: String.raw`\bversion solving failed\b|\bdoesn't match any versions\b|\bNo solution found when resolving dependencies\b|\bSolverProblemError\b|\bUnsatisfiable requirements detected for package\b|\bThe following package names could not be resolved\b|\bCould not resolve dependencies:|\bunknown package: \S+ \(dependency of\b|\bPackage not found in any repo\b|\bthe dependency is not available, run "mix deps\.get"|\bUnchecked dependencies for environment\b|\bInstalling the dependencies failed\b|\bCouldn't find module or a distribution\b|\bdependenc(?:y|ies) (?:‘|')[\w.]+(?:’|')(?:, (?:‘|')[\w.]+(?:’|'))* (?:is|are) not available for package\b|\bpackage (?:‘|')[\w.]+(?:’|') is not available\b|\bNothing R?PROVIDES '`,
    origin: 'dart pub, poetry, uv, julia Pkg, cabal, rebar3, mix, cpanm, R, bitbake',
    match: [
      'Because feed_app depends on intl ^9.0.0 which doesn\'t match any versions, version solving failed.',
      'SolverProblemError: Because acme-etl depends on pandas (>=9.0) which doesn\'t match any versions, version solving failed.',
      '  × No solution found when resolving dependencies:',
      'ERROR: Unsatisfiable requirements detected for package CSV [336ed68f]:',
      'cabal: Could not resolve dependencies:',
      '[__1] unknown package: lens-aeson (dependency of feed-app)',
      '===> Package not found in any repo: jsx 9.9.9',
      '  the dependency is not available, run "mix deps.get"',
      "! Installing the dependencies failed: Module 'Moose' is not installed",
      "ERROR: dependencies ‘curl’, ‘openssl’ are not available for package ‘httr’",
      "Warning message: package 'sf' is not available for this version of R",
      "ERROR: Nothing RPROVIDES 'python3-lxml' (but /builds/yocto/meta-acme/recipes-core/images/acme-image.bb RDEPENDS on or otherwise requires it)",
    ],
    noMatch: [
      'Resolving dependencies... Got dependencies!',
      'Resolved 42 packages in 180ms',
      'All dependencies are up to date',
      "package 'sf' successfully unpacked and MD5 sums checked",
      'NOTE: Resolving any missing task queue dependencies',
    ],
  },
  {
    name: 'linkers-toolboxes-and-emulators',
    // A link or run that needs a library, toolbox or helper binary that is not installed:
    // zig/ld64/MSVC linkers, MATLAB toolboxes, libvirt's emulator and helper checks.
    re: String.raw`\bunable to find (?:dynamic |static )?system library '|\bld: library not found for -l|\bLNK1181\b|'\w+' requires (?:the )?[A-Z][\w ,&-]* Toolbox\b|\bCannot check QEMU binary \S+: No such file or directory\b|\bCannot find '[^'\n]+' (?:binary )?in path\b`,
    origin: 'zig, apple ld64, msvc link, matlab, libvirt',
    match: [
      "error: unable to find static system library 'z' using strategy 'no_fallback'. searched paths: /usr/lib",
      'ld: library not found for -lpq',
      "LINK : fatal error LNK1181: cannot open input file 'libcurl.lib'",
      "'imresize' requires Image Processing Toolbox.",
      'error: Cannot check QEMU binary /usr/bin/qemu-system-aarch64: No such file or directory',
      "error: Cannot find 'dnsmasq' binary in path: No such file or directory",
    ],
    noMatch: ['ld: linking 12 objects into build/app', "Image Processing Toolbox version 11.7 (R2023a)", 'libvirt: QEMU binary /usr/bin/qemu-system-x86_64 capabilities cached'],
  },
]);
