// Network: timeouts of network calls (NetworkTimeout), refused/reset/unreachable
// connections (ConnectionError) and name resolution (DNSError), across libc errnos,
// Python, JVM, Node.js, Go, Rust, curl/ssh/git, nginx, databases and Kubernetes probes.

import { HEALTHY, patternsOf } from './define.js';

export const NETWORK_TIMEOUT = patternsOf('NetworkTimeout', [
  {
    name: 'etimedout',
    re: String.raw`\bE(?:SOCKET)?TIMEDOUT\b|context deadline exceeded while dialing|(?i:\bconnect\w*\b.*\btimed out\b)|(?i:\b(?:read|write|socket|recv|send) timed out\b)|(?i:\bupstream timed out\b)`,
    origin: 'libc strerror(ETIMEDOUT), node.js, jvm, curl, ssh, git, apt, nginx',
    match: [
      "Error: ESOCKETTIMEDOUT",
      'Error: connect ETIMEDOUT 52.14.88.3:443',
      'TimeoutError: [Errno 110] Connection timed out',
      'java.net.SocketTimeoutException: Read timed out',
      'ssh: connect to host 10.0.5.21 port 22: Connection timed out',
      "fatal: unable to access 'https://git.example.com/app.git/': Failed to connect to git.example.com port 443 after 130123 ms: Operation timed out",
      '2024/06/02 10:11:12 [error] 2231#2231: *88123 upstream timed out (110: Connection timed out) while reading response header from upstream',
    ],
    noMatch: [HEALTHY.retryConnected, 'connected to db:5432 in 12ms (connect_timeout=5s)', 'socket_timeout=30 read_timeout=60'],
  },
  {
    name: 'client-timeout-classes',
    re: String.raw`\bSocketTimeoutException\b|\bConnectTimeout(?:Error|Exception)?(?::|\()|\bReadTimeout(?:Error|Exception)?(?::|\()|\bHttpTimeoutException\b|\bsocket\.timeout\b|\bClient\.Timeout exceeded\b|\bAxiosError: timeout of \d+ms exceeded`,
    origin: 'python (requests, urllib3, httpx, socket), jvm, go net/http, axios',
    match: [
      "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='api.render.example', port=443): Max retries exceeded",
      "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='storage.example.net', port=443): Read timed out. (read timeout=30)",
      'socket.timeout: timed out',
      'httpx.ConnectTimeout: timed out',
      'net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
      'AxiosError: timeout of 10000ms exceeded',
    ],
    noMatch: ['http client: ConnectTimeout=5s ReadTimeout=30s', HEALTHY.timeoutConfig],
  },
  {
    name: 'go-net-timeout',
    re: String.raw`\bi/o timeout\b|(?:Get|Post|Put|Patch|Delete|Head) "[a-z]+://[^"]*": context deadline exceeded|\bcode = DeadlineExceeded\b|\bDEADLINE_EXCEEDED\b`,
    origin: 'go (net, net/http), grpc',
    match: [
      'dial tcp 10.0.0.5:443: i/o timeout',
      'Get "https://api.example.com/v1/status": context deadline exceeded',
      'rpc error: code = DeadlineExceeded desc = context deadline exceeded',
      'grpc._channel._InactiveRpcError: status = StatusCode.DEADLINE_EXCEEDED',
    ],
    noMatch: ['grpc: deadline set to 30s for /inventory.Items/List', 'dial tcp 10.0.0.5:443: connected'],
  },
  {
    name: 'gateway-and-replication-timeout',
    re: String.raw`(?i:\b504 Gateway Time-?out\b)|\bcurl: \(28\) |(?i:\btimeout (?:reading from|writing to|connecting to)\b)|\bMASTER timeout\b`,
    origin: 'http gateways, curl, redis',
    match: [
      '<html><head><title>504 Gateway Time-out</title></head>',
      'curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received',
      'redis.exceptions.TimeoutError: Timeout reading from socket',
      '1:S 03 Jun 2024 08:35:00.000 # Timeout connecting to the MASTER...',
    ],
    noMatch: ['10.0.0.7 - - [02/Jun/2024:10:11:12 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29"', 'repl-timeout 60'],
  },
]);

export const CONNECTION_ERROR = patternsOf('ConnectionError', [
  {
    name: 'tls-verification',
    // A TLS handshake the client refused: the connection to the service cannot be made.
    re: String.raw`\bSSLHandshakeException\b|\bx509: certificate (?:signed by unknown authority|has expired|is valid for)|\bCERTIFICATE_VERIFY_FAILED\b|\bcertificate verify failed\b|\btls: failed to verify certificate\b|\bunable to (?:get local issuer certificate|find valid certification path)\b`,
    origin: 'jvm, go crypto/tls, python ssl, openssl, node',
    match: [
      'javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure',
      'Get "https://repo.local/v2/": x509: certificate signed by unknown authority',
      'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)',
      'Error: unable to get local issuer certificate',
    ],
    noMatch: ['TLS handshake completed (TLSv1.3, TLS_AES_128_GCM_SHA256)', 'certificate verified for api.example.com', 'x509: certificate renewed, valid until 2027-01-01'],
  },
  {
    name: 'refused-reset',
    // The tail keeps counters such as `Connection refused: 0` out.
    re: String.raw`(?i:\bconnection (?:refused|reset)\b(?: by peer)?(?:$|[^:\d]|:\s*[^\d\s]))|\bECONNREFUSED\b|\bECONNRESET\b|(?i:\bconnection to (?:\S+ ){1,3}(?:was )?refused\b)`,
    origin: 'libc strerror(ECONNREFUSED/ECONNRESET), every runtime, nginx, curl, ssh, kubectl',
    match: [
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      'dial tcp 10.0.4.12:5432: connect: connection refused',
      'java.net.ConnectException: Connection refused: connect',
      'ConnectionResetError: [Errno 104] Connection reset by peer',
      'java.net.SocketException: Connection reset',
      'org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct',
      'The connection to the server localhost:8080 was refused - did you specify the right host or port?',
    ],
    noMatch: [HEALTHY.refusedCounter, HEALTHY.retryConnected, 'tcp: retransmits=0 connection resets=0'],
  },
  {
    name: 'broken-pipe-hangup',
    re: String.raw`(?i:\bbroken pipe\b)|\bEPIPE\b|\bECONNABORTED\b|\bsocket hang up\b|\bConnection aborted\b|\bRemoteDisconnected\b|(?i:\bserver closed the connection unexpectedly\b)|(?i:\bconnection unexpectedly closed\b)|\bupstream prematurely closed connection\b`,
    origin: 'libc strerror(EPIPE), node.js, urllib3, libpq, rsync, nginx',
    match: [
      'BrokenPipeError: [Errno 32] Broken pipe',
      'Error: socket hang up',
      "urllib3.exceptions.ProtocolError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
      'server closed the connection unexpectedly',
      'rsync: connection unexpectedly closed (0 bytes received so far) [sender]',
    ],
    noMatch: ['client closed the connection (keep-alive timeout reached)', 'pipe created: /tmp/render.fifo'],
  },
  {
    name: 'cannot-connect',
    re: String.raw`(?i:\b(?:could not|couldn't|can't|cannot|unable to|failed to) connect to\b)|(?i:\bfailed to establish a new connection\b)|(?i:\bconnection to server (?:at|on socket) .* failed\b)|\bCommunications link failure\b|\bLost connection to MySQL server\b|\bMySQL server has gone away\b|\bCannot connect to the Docker daemon\b`,
    origin: 'libpq/psql, mysql, redis-cli, curl, git, docker, urllib3',
    match: [
      'psycopg2.OperationalError: could not connect to server: Connection refused',
      'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
      "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)",
      'ERROR 2013 (HY000): Lost connection to MySQL server during query',
      "(2006, 'MySQL server has gone away')",
      'com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure',
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    ],
    noMatch: [HEALTHY.retryConnected, 'connecting to db.internal:5432 (attempt 1/5)', 'connection to server at "db" (10.0.4.12), port 5432 established'],
  },
  {
    name: 'unreachable',
    re: String.raw`(?i:\bno route to host\b)|(?i:\bnetwork is unreachable\b)|\bEHOSTUNREACH\b|\bENETUNREACH\b|\bHost unreachable\b`,
    origin: 'libc strerror(EHOSTUNREACH/ENETUNREACH), jvm, go',
    match: ['OSError: [Errno 113] No route to host', 'dial tcp 10.9.9.9:80: connect: network is unreachable', 'java.net.NoRouteToHostException: No route to host (Host unreachable)'],
    noMatch: ['route added: 10.9.0.0/16 via 10.0.0.1', HEALTHY.noErrors],
  },
  {
    name: 'connection-classes',
    re: String.raw`\bjava\.net\.ConnectException\b|\b(?:ConnectionRefused|ConnectionReset|ConnectionAborted)Error\b|\bexceptions\.ConnectionError\b|\bno live upstreams\b|\bcode = Unavailable\b|\bfailed to connect to all addresses\b|\bMASTER aborted replication\b|\bNoBrokersAvailable\b`,
    origin: 'jvm, python (requests, redis), nginx, grpc, redis replication',
    match: [
      "kafka.errors.NoBrokersAvailable: NoBrokersAvailable",
      'java.net.ConnectException: Connection refused (Connection refused)',
      "redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.",
      '2024/06/02 10:12:42 [error] 2231#2231: *88132 no live upstreams while connecting to upstream',
      'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing"',
      "1:S 03 Jun 2024 08:33:10.000 # MASTER aborted replication with an error: ERR Can't SYNC while not connected with my master",
    ],
    noMatch: ['upstream backend { server 10.0.2.4:8080; keepalive 32; }', '1:S 03 Jun 2024 08:33:20.000 * MASTER <-> REPLICA sync: Finished with success'],
  },
]);

export const DNS_ERROR = patternsOf('DNSError', [
  {
    name: 'getaddrinfo',
    re: String.raw`\bENOTFOUND\b|\bEAI_AGAIN\b|\bEAI_NONAME\b|(?i:\btemporary failure in name resolution\b)|(?i:\bname or service not known\b)|\bnodename nor servname provided\b|\bgaierror\b|(?i:\bTemporary failure resolving\b)|(?i:\bNo address associated with hostname\b)`,
    origin: 'libc getaddrinfo (gai_strerror): python, node.js, curl, ping, apt',
    match: [
      'Error: getaddrinfo ENOTFOUND api.payments.example',
      'Error: getaddrinfo EAI_AGAIN registry.npmjs.org',
      'socket.gaierror: [Errno -3] Temporary failure in name resolution',
      "urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>",
      "Temporary failure resolving 'deb.debian.org'",
    ],
    noMatch: ['resolved api.payments.example to 10.0.0.5 in 3ms', 'dns cache: 120 entries, 98% hit rate'],
  },
  {
    name: 'no-such-host',
    re: String.raw`(?i:\bno such host\b)|\bNXDOMAIN\b|\bSERVFAIL\b|\blookup \S+ on \S+:53: |(?i:\bserver misbehaving\b)|\bdns error: failed to lookup address\b`,
    origin: 'go net resolver, dig/resolvers, rust (hyper/reqwest)',
    match: [
      'dial tcp: lookup postgres on 127.0.0.11:53: no such host',
      'dial tcp: lookup artifacts.internal on 10.96.0.10:53: read udp 10.244.1.7:41533->10.96.0.10:53: i/o timeout',
      ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 41122',
      'error trying to connect: dns error: failed to lookup address information: Name or service not known',
    ],
    noMatch: [';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 41122', 'coredns_dns_responses_total{rcode="nxdomain"} 0'],
  },
  {
    name: 'unknown-host',
    re: String.raw`\bUnknownHostException\b|(?i:\bcould not resolve (?:host(?:name)?\b|hostname\b))|(?i:\bcould not translate host name\b)|(?i:\bhost not found\b)|\bcould not be resolved \(\d+: |\bUnknown MySQL server host\b|(?i:\b(?:could not|couldn't|failed to|unable to) resolve (?:host(?:name)?:? )?'?[a-z0-9-]+(?:\.[a-z0-9-]+)+)`,
    origin: 'jvm, curl, ssh, git, libpq, nginx, mysql',
    match: [
      "WeChat.exe - 223.167.104.147:80 error : Could not connect to proxy proxy.example.edu:5070 - Could not resolve proxy.example.edu error 11001",
      'java.net.UnknownHostException: kafka-0.kafka-headless.streaming.svc.cluster.local',
      'curl: (6) Could not resolve host: artifacts.example.org',
      'ssh: Could not resolve hostname build-9: Name or service not known',
      'psql: error: could not translate host name "db-primary" to address: Name or service not known',
      '2024/06/02 10:00:01 [emerg] 1#1: host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14',
      "ERROR 2005 (HY000): Unknown MySQL server host 'mysql-0.mysql' (-2)",
    ],
    noMatch: [
      "resolved 4 upstream names in 12ms",'resolver 10.96.0.10 valid=30s;', 'host found in cache: db-primary -> 10.0.4.12'],
  },
]);
