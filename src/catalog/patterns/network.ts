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
    re: String.raw`\bi/o timeout\b|(?:Get|Post|Put|Patch|Delete|Head) \\?"[a-z]+://[^"]*": context deadline exceeded|\bcode = DeadlineExceeded\b|\bDEADLINE_EXCEEDED\b`,
    origin: 'go (net, net/http), grpc',
    match: [
      'dial tcp 10.0.0.5:443: i/o timeout',
      'Get "https://api.example.com/v1/status": context deadline exceeded',
      // logfmt quotes the error value, so the URL's quotes arrive escaped
      'level=warn component=probe msg="probe failed" err="Post \\"https://hooks.example.org/ping\\": context deadline exceeded"',
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
  },  {
    name: 'runtime-timeout-classes',
    // How each runtime's HTTP/socket client names a network call that ran out of time.
    re: String.raw`\bHttpClient\.Timeout of [\d.]+ seconds elapsing\b|\bHttp(?:Connect)?TimeoutException\b|\bNet::(?:Open|Read|Write)Timeout\b|\bFaraday::TimeoutError\b|\bExcon::Error::Timeout\b|\b(?:Headers|Body)TimeoutError\b|\bUND_ERR_(?:CONNECT|HEADERS|BODY)_TIMEOUT\b|\bnet::ERR_(?:CONNECTION_)?TIMED_OUT\b|\bNS_ERROR_NET_TIMEOUT\b|\bkind: TimedOut\b|\bService(?:Request|Response)TimeoutError\b|\b504 Deadline Exceeded\b|(?i:\bcurl error 28\b)|\bCURLE_OPERATION_TIMEDOUT\b|\bMint\.TransportError\{reason: :timeout\}|\btcp (?:connect|recv|send) \([^)]*\): timeout\b|\{failed_connect,[^\n]*\btimeout\}`,
    origin: '.NET HttpClient, JVM java.net.http, Ruby Net::HTTP/Faraday/Excon, undici, browsers, Rust io, Azure/GCP SDKs, PHP/Guzzle, Elixir/Erlang',
    match: [
      'System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 30 seconds elapsing.',
      'java.net.http.HttpConnectTimeoutException: HTTP connect timed out',
      'Net::OpenTimeout: execution expired',
      'Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>',
      'Faraday::TimeoutError: timeout',
      'HeadersTimeoutError: Headers Timeout Error',
      'GET https://api.example.net/v2/items net::ERR_CONNECTION_TIMED_OUT',
      'Error: Custom { kind: TimedOut, error: "connection timed out" }',
      'azure.core.exceptions.ServiceResponseTimeoutError: Timeout on reading data from socket',
      'google.api_core.exceptions.DeadlineExceeded: 504 Deadline Exceeded',
      'GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after 10001 milliseconds with 0 bytes received',
      '** (DBConnection.ConnectionError) tcp connect (db.internal:5432): timeout',
      '{error,{failed_connect,[{to_address,{"api.example.net",443}},{inet,[inet],timeout}]}}',
    ],
    noMatch: ['HttpClient.Timeout = 100 seconds (default)', 'faraday options: open_timeout=5 timeout=30', 'curl_errors_28_total 0'],
  },
  {
    name: 'proxy-and-health-check-timeout',
    // Proxies and load balancers that report the backend did not answer in time.
    re: String.raw`(?i:\bupstream request timeout\b)|\bLayer[4-7] timeout\b|\(70007\)The timeout specified has expired|\bTimeout, server \S+ not responding\b|\bTNS:Connect timeout occurred\b|\bconnected party did not properly respond after a period of time\b|\bnet/http: (?:TLS handshake timeout|timeout awaiting response headers)\b|\bServer selection timed out after \d+ ?ms\b|\bServerSelectionTimeoutError\b|(?i:\bHTTP request to '[^']*' has timed out\b)|\[28\] Timeout was reached|\bOperation too slow\. Less than \d+ bytes/sec`,
    origin: 'envoy, haproxy, apache mod_proxy, ssh, oracle TNS, windows WSAETIMEDOUT, go net/http, mongodb drivers, nuget, libcurl (cargo, dnf)',
    match: [
      'GET /api/orders -> 504 upstream request timeout',
      'Server be_app/app-3 is DOWN, reason: Layer7 timeout, check duration: 3001ms.',
      '[proxy_http:error] [pid 812] (70007)The timeout specified has expired: [client 10.0.0.9:5122] AH01102: error reading status line from remote server app:8080',
      'Timeout, server 10.0.5.21 not responding.',
      'ORA-12170: TNS:Connect timeout occurred',
      'System.Net.Sockets.SocketException (10060): A connection attempt failed because the connected party did not properly respond after a period of time',
      'Unable to connect to the server: net/http: TLS handshake timeout',
      'MongoServerSelectionError: Server selection timed out after 30000 ms',
      'pymongo.errors.ServerSelectionTimeoutError: No servers found yet, Timeout: 30.0s',
      "The HTTP request to 'GET https://api.nuget.org/v3/index.json' has timed out after 100000ms.",
      'error: [28] Timeout was reached (Operation too slow. Less than 10 bytes/sec transferred the last 30 seconds)',
    ],
    noMatch: ['envoy route config: timeout: 15s, idle_timeout: 300s, retry_on: 5xx', 'timeout server 30s', 'Server be_app/app-3 is UP, reason: Layer7 check passed, check duration: 3ms.'],
  },
  {
    name: 'db-connect-timeout',
    // A client's connect that timed out, as database clients word it (errno 110/10060 in MySQL's
    // parentheses; libpq's connect_timeout).
    re: String.raw`\bconnection to server (?:at|on socket) [^\n]*failed: timeout expired\b|Can't connect to MySQL server on [^\n]*\((?:110|10060)\)`,
    origin: 'libpq (psql, psycopg), mysql client',
    match: [
      'psql: error: connection to server at "db.internal" (10.1.1.9), port 5432 failed: timeout expired',
      "ERROR 2003 (HY000): Can't connect to MySQL server on 'db.internal:3306' (110)",
    ],
    noMatch: ['connect_timeout=10', 'connection to server at "db" (10.0.4.12), port 5432 established'],
  },
  {
    name: 'tls-and-transfer-timeout',
    // Timeouts in the TLS handshake or the transfer of a network call (curl, ssl sockets, OkHttp).
    re: String.raw`\bThe (?:read|write|handshake) operation timed out\b|\bOperation timed out after \d+ milliseconds with \d+ (?:out of -?\d+ )?bytes received\b|\bInterruptedIOException: timeout\b|\bGot timeout reading communication packets\b`,
    origin: 'python ssl/http.client, libcurl (git, curl, php), okhttp, mysql',
    match: [
      'TimeoutError: The read operation timed out',
      'ssl.SSLError: _ssl.c:980: The handshake operation timed out',
      "fatal: unable to access 'https://git.example.com/app.git/': Operation timed out after 300012 milliseconds with 0 out of 0 bytes received",
      'java.io.InterruptedIOException: timeout',
    ],
    noMatch: ['ssl: handshake completed in 41ms', 'curl: transferred 1200 bytes in 0.3s'],
  },
  {
    name: 'cluster-fs-and-socket-timeouts',
    re: String.raw`\bnfs: server \S+ not responding\b|\bRequest sent has timed out for slow reply\b|(?i:\bsocket (?:has )?timed out\b)|\bORA-12170\b|\bTNS:Connect timeout occurred\b`,
    origin: 'linux nfs client, lustre, torch.distributed, oracle',
    match: [
      'nfs: server filer01 not responding, still trying',
      'Lustre: 812:0:(client.c:2310:ptlrpc_expire_one_request()) @@@ Request sent has timed out for slow reply',
      'torch.distributed.DistNetworkError: The client socket has timed out after 600s while trying to connect to (10.0.0.5, 29500).',
      'ORA-12170: TNS:Connect timeout occurred',
    ],
    noMatch: ['nfs: server filer01 OK', 'socket timeout set to 30s'],
  },
  {
    name: 'handshake-and-routing-timeouts',
    re: String.raw`\bConnection Timeout Expired\b|\bThe timeout period elapsed while attempting to\b|(?i:\bmonitor status down\b[^\n]*\btimeout\b)|(?i:\b(?:hold ?time|hold timer|dead timer) expired\b)|\b(?:NSURLErrorDomain|kCFErrorDomainCFNetwork) Code=-1001\b|(?i:\brequest (?:has )?timed out\b)`,
    origin: "SqlClient (.NET), F5 BIG-IP monitors, BGP/OSPF neighbours, iOS/macOS URL loading, ping and HTTP clients",
    match: [
      "System.Data.SqlClient.SqlException: Connection Timeout Expired.  The timeout period elapsed while attempting to consume the pre-login handshake acknowledgement.",
      "mcpd[5123]: 01070638:5: Pool /Common/web member /Common/10.1.1.5:443 monitor status down. [ /Common/https: down; last error: No successful responses received before deadline; Response Timeout ]",
      "%BGP-5-NBR_RESET: Neighbor 192.0.2.1 reset (BGP Notification sent: hold time expired)",
      "%OSPF-5-ADJCHG: Process 1, Nbr 10.0.0.2 on Gi0/1 from FULL to DOWN, Neighbor Down: Dead timer expired",
      "Task <4F1A>.<2> finished with error [-1001] Error Domain=NSURLErrorDomain Code=-1001 \"The request timed out.\"",
      "Request timed out.",
    ],
    noMatch: ["mcpd[5123]: Pool /Common/web member /Common/10.1.1.5:443 monitor status up.", "bgp: hold time 90s keepalive 30s", "config: timeout=30 retries=3 pool_size=10"],
  },
  {
    name: 'async-client-and-driver-timeouts',
    // Reactive/async network stacks and database drivers that name a request the peer did not
    // answer in time: akka-stream TCP, netty's timeout handlers, the DataStax Cassandra drivers,
    // Haskell's http-client (its exception is shown as a record ending in the constructor).
    re: String.raw`\bTcpIdleTimeoutException\b|\bTCP idle-timeout encountered\b|\bio\.netty\.handler\.timeout\.(?:Read|Write|Idle)TimeoutException\b|\bDriverTimeoutException\b|\bOperationTimedOut(?:Exception)?\b|\bClient request timeout\b|\bTimed out waiting for server response\b|\bHttpExceptionRequest\b[^\n]*\} (?:ResponseTimeout|ConnectionTimeout)\b|^\s*(?:ResponseTimeout|ConnectionTimeout)\s*$`,
    origin: 'akka-stream, netty, datastax java/python cassandra drivers, haskell http-client',
    match: [
      'akka.stream.scaladsl.TcpIdleTimeoutException: TCP idle-timeout encountered on connection to [ledger.example.org:8443], no bytes passed in the last 30 seconds',
      'io.netty.handler.timeout.ReadTimeoutException: null',
      'com.datastax.oss.driver.api.core.DriverTimeoutException: Query timed out after PT5S',
      "cassandra.OperationTimedOut: errors={'10.4.0.7:9042': 'Client request timeout. See Session.execute[_async](timeout)'}, last_host=10.4.0.7:9042",
      'com.datastax.driver.core.exceptions.OperationTimedOutException: [cass-2/10.4.0.8:9042] Timed out waiting for server response',
      'worker: HttpExceptionRequest Request { host = "rates.internal" port = 8080 } ConnectionTimeout',
      '  ResponseTimeout',
    ],
    noMatch: [
      'akka.io.tcp { idle-timeout = 60s }',
      'datastax-java-driver.basic.request.timeout = 2 seconds',
      '  responseTimeout      = ResponseTimeoutDefault',
      'netty: added handler io.netty.handler.timeout.ReadTimeoutHandler(30s)',
    ],
  },
  {
    name: 'sip-and-netboot-timeouts',
    // Signalling and boot-loader transfers that give up when the far end stops answering:
    // SIP transactions (Asterisk chan_sip, FreeSWITCH hangup cause, a SIP 408 reply) and
    // U-Boot/PXE TFTP loads (each `T` of U-Boot's progress is one timed-out packet).
    re: String.raw`\bRetransmission timeout reached on transmission\b|\bRECOVERY_ON_TIMER_EXPIRE\b|\bSIP/2\.0 408 Request Timeout\b|\b(?:ARP )?Retry count exceeded; starting again\b|\bPXE-E3[25]: TFTP (?:open|read) timeout\b`,
    origin: 'asterisk chan_sip, freeswitch, kamailio/opensips, u-boot net, pxe roms',
    match: [
      '[Mar  3 09:12:40] WARNING[1187]: chan_sip.c:3990 retrans_pkt: Retransmission timeout reached on transmission 5c1d@203.0.113.40:5060 for seqno 7 (Critical Request)',
      '2025-03-03 09:12:40.100200 [NOTICE] switch_core_state_machine.c:683 Hangup sofia/internal/2001@pbx.example.org [CS_EXECUTE] [RECOVERY_ON_TIMER_EXPIRE]',
      'SIP/2.0 408 Request Timeout',
      'ARP Retry count exceeded; starting again',
      'PXE-E32: TFTP open timeout',
    ],
    noMatch: [
      '2025-03-03 09:12:40.100200 [NOTICE] switch_core_state_machine.c:683 Hangup sofia/internal/2001@pbx.example.org [CS_EXECUTE] [NORMAL_CLEARING]',
      'sip: t1=500ms timer_b=32000ms retransmission timeout=4s',
      'Loading: #################################################  3.1 MiB/s',
    ],
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
  },  {
    name: 'proxy-upstream-failure',
    // Proxies and load balancers that could not reach (or lost) the backend.
    re: String.raw`\bupstream connect error or disconnect/reset before headers\b|\bno healthy upstream\b|\bLayer4 connection problem\b|\bhas no server available!|\battempt to connect to \S+ \([^)]*\) failed\b|\bfailed to make connection to backend\b`,
    origin: 'envoy, istio, haproxy, apache mod_proxy',
    match: [
      'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
      '[2024-06-02T10:00:00.000Z] "GET /api HTTP/1.1" 503 UH 0 19 0 - "-" "curl/8.5.0" no healthy upstream',
      'Server be_api/api-1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms.',
      '[ALERT] (8) : backend \'be_api\' has no server available!',
      '[proxy:error] [pid 412] (111)Connection refused: AH00957: http: attempt to connect to 10.0.2.4:8080 (app) failed',
      '[proxy_http:error] [pid 412] AH01114: HTTP: failed to make connection to backend: app',
    ],
    noMatch: ['envoy_cluster_upstream_cx_connect_fail{cluster="api"} 0', 'Server be_api/api-1 is UP, reason: Layer4 check passed, check duration: 0ms.'],
  },
  {
    name: 'runtime-connection-wording',
    // How runtimes outside libc's strerror word a refused, reset or dropped connection.
    re: String.raw`\bNo connection could be made because the target machine actively refused it\b|\bAn existing connection was forcibly closed by the remote host\b|\bFaraday::ConnectionFailed\b|\(DBConnection\.ConnectionError\)|[\{:]error,\s?:?(?:econnrefused|econnreset|ehostunreach|enetunreach)\}|:econnrefused\b|\bServerDisconnectedError\b|\bConnect call failed\b|\btcp connect error\b|\bconnection closed before message completed\b|\bNoHttpResponseException\b|\bnet::ERR_(?:CONNECTION_(?:REFUSED|RESET|CLOSED|FAILED|ABORTED)|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|EMPTY_RESPONSE|SOCKET_NOT_CONNECTED)\b|\bNS_ERROR_(?:CONNECTION_REFUSED|NET_RESET|NET_INTERRUPT)\b|\bcurl: \((?:7|52|55|56)\) |\bHTTP 000 CONNECTION FAILED\b|\bThis is a problem related to network connectivity\b|(?i:\bconnection closed by (?:the )?(?:server|peer|remote (?:host|server|end))\b)`,
    origin: '.NET/Windows (WSAECONNREFUSED, WSAECONNRESET), Ruby Faraday, Elixir/Erlang, aiohttp, Rust hyper, Apache HttpClient, browsers, curl, conda, npm, ssh',
    match: [
      'System.Net.Http.HttpRequestException: No connection could be made because the target machine actively refused it. (billing:5001)',
      'System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host.',
      'Faraday::ConnectionFailed: Failed to open TCP connection to api.example.net:443',
      '** (DBConnection.ConnectionError) connection not available and request was dropped from queue after 2000ms',
      '{error,econnrefused}',
      "aiohttp.client_exceptions.ServerDisconnectedError: Server disconnected",
      "OSError: [Errno 111] Connect call failed ('10.0.4.12', 6379)",
      'error sending request for url (http://10.0.4.12:8080/): error trying to connect: tcp connect error: Connection refused (os error 111)',
      'hyper::Error(IncompleteMessage): connection closed before message completed',
      'org.apache.http.NoHttpResponseException: api.example.net:443 failed to respond',
      'GET http://localhost:3000/api/cart net::ERR_CONNECTION_REFUSED',
      'curl: (52) Empty reply from server',
      'CondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/conda-forge/linux-64/repodata.json>',
      'npm ERR! network This is a problem related to network connectivity.',
      'kex_exchange_identification: Connection closed by remote host',
    ],
    noMatch: ['Connection closed by 10.0.0.9 port 51122 [preauth]', 'Connection to build-9 closed.', 'curl: (0) ok'],
  },
  {
    name: 'cluster-client-unavailable',
    // Clients of clustered stores and brokers: no node of the cluster could be reached.
    re: String.raw`\bConnection to node -?\d+ \([^)]*\) could not be established\b|\bAllNodesFailedException\b|\bCould not reach any contact point\b|\bNoHostAvailable(?:Exception|Error)?\b|All host\(s\) tried for query failed|\bNoNodeAvailableException\b|None of the configured nodes are available|\bKeeperErrorCode = ConnectionLoss\b|\bMongoNetworkError\b|\bAutoReconnect: |\bAMQPConnectionError\b|\bSSL SYSCALL error: (?:EOF detected|Connection reset)|Connection(?:Error|Exception): [^\d\s]`,
    origin: 'kafka, cassandra, elasticsearch, zookeeper, mongodb, rabbitmq (pika), libpq, and the ConnectionError/ConnectionException classes of many clients',
    match: [
      'WARN [Producer clientId=producer-1] Connection to node -1 (kafka-0/10.0.3.4:9092) could not be established. Broker may not be available.',
      "cassandra.cluster.NoHostAvailable: ('Unable to connect to any servers', {'10.0.3.7:9042': ConnectionRefusedError(111)})",
      'com.datastax.oss.driver.api.core.AllNodesFailedException: All host(s) tried for query failed',
      'NoNodeAvailableException[None of the configured nodes are available: [{#transport#-1}{10.0.3.9:9300}]]',
      'org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss for /brokers/ids',
      'MongoNetworkError: connection 3 to 10.0.3.11:27017 closed',
      'pymongo.errors.AutoReconnect: connection closed',
      'pika.exceptions.AMQPConnectionError: Connection to 10.0.3.12:5672 failed',
      'psycopg2.OperationalError: SSL SYSCALL error: EOF detected',
      'elasticsearch.exceptions.ConnectionError: ConnectionError(<urllib3.connection.HTTPConnection object at 0x7f>) caused by: NewConnectionError',
      'Predis\\Connection\\ConnectionException: Error while reading line from the server. [tcp://10.0.3.14:6379]',
    ],
    noMatch: ['registered handler for ConnectionError', 'kafka: Connection to node 1 established', 'client: retry on ConnectionError (max 3)', 'errors by class: ConnectionError: 0, ConnectionException: 2'],
  },
  {
    name: 'peer-went-away',
    // More ways a peer refuses or drops the connection: git/rsync transfers, JDBC and ADO.NET
    // drivers, Redis clients and replicas, brokers, etcd peers, proxies, browsers.
    re: String.raw`\bthe remote end hung up unexpectedly\b|\bRPC failed; curl (?:18|52|55|56|92) |\berror in socket IO\b|\bClient network socket disconnected before secure TLS connection was established\b|\bHttpHostConnectException\b|\bThe Network Adapter could not establish the connection\b|\bThe TCP/IP connection to the host \S+ port \d+ has failed\b|\bCannotGetJdbcConnectionException\b|\bFailed to obtain JDBC Connection\b|\bfailed on connection exception\b|\bIt was not possible to connect to the redis server|\bA network-related or instance-specific error occurred while establishing a connection\b|\bRedis::CannotConnectError\b|\b(?:econnrefused|econnreset|ehostunreach|enetunreach)\b|\bConnection with (?:master|replica) lost\b|\bGot an error reading communication packets\b|\bclient unexpectedly closed TCP connection\b|\blost (?:the )?TCP streaming connection with\b|\bconnect\(\) (?:to \S+ )?failed \(\d+: [^)]+\) while connecting to upstream\b|\bWebSocket connection to '[^']+' failed\b|\bNetworkError when attempting to fetch resource\b|\bThe SSL connection could not be established\b|\bMax retries exceeded with url\b|Connection(?:Error|Exception)\) `,
    origin: 'git, rsync, node tls, apache httpclient, oracle/sql server jdbc, spring, hadoop ipc, StackExchange.Redis, ADO.NET, ruby redis, erlang atoms, redis replication, mysql, rabbitmq, etcd, nginx, browsers, .NET, urllib3, elixir',
    match: [
      'fatal: the remote end hung up unexpectedly',
      'error: RPC failed; curl 56 GnuTLS recv error (-9): A TLS packet with unexpected length was received.',
      'rsync error: error in socket IO (code 10) at io.c(820) [sender=3.2.7]',
      'Error: Client network socket disconnected before secure TLS connection was established',
      'java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection',
      'com.microsoft.sqlserver.jdbc.SQLServerException: The TCP/IP connection to the host sql01, port 1433 has failed.',
      'java.net.ConnectException: Call From etl-3/10.2.0.8 to nn1:8020 failed on connection exception',
      'StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). UnableToConnect on cache:6379',
      '{error,{failed_connect,[{to_address,{"api.example.net",443}},{inet,[inet],econnrefused}]}}',
      '1:S 02 Jun 2024 10:00:00.000 # Connection with master lost.',
      "[Warning] Aborted connection 412 to db: 'shop' user: 'app' host: '10.0.0.9' (Got an error reading communication packets)",
      '2024/06/02 10:00:00 [crit] 31#31: *1 connect() to unix:/run/php/php8.2-fpm.sock failed (2: No such file or directory) while connecting to upstream',
      "WebSocket connection to 'wss://app.example.net/live' failed",
      "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.example.net', port=443): Max retries exceeded with url: /v1 (Caused by SSLError(SSLEOFError(8, 'EOF occurred in violation of protocol')))",
      '** (Redix.ConnectionError) :closed',
    ],
    noMatch: ['git: remote: Counting objects: 100% (412/412), done.', '1:S 02 Jun 2024 10:00:00.000 * Connected to MASTER 10.0.0.4:6379', 'http adapter: max_retries=3'],
  },
  {
    name: 'peer-gone-and-listeners',
    re: String.raw`\bORA-(?:12541|03113|03114|03135|12537|12547)\b|\bTNS:(?:no listener|lost contact|connection closed|packet writer failure)\b|\bsocket closed \(con state \w+\)|(?i:\b(?:server|remote end|peer) (?:disconnected|closed (?:the )?connection) without (?:sending )?(?:a )?response\b)|\bRemoteProtocolError\b|\bRemoteDisconnected\b`,
    origin: 'oracle net, linux libceph, httpx/httpcore, python http.client',
    match: [
      'ORA-12541: TNS:no listener',
      'ORA-03113: end-of-file on communication channel',
      'libceph: osd3 (1)10.2.0.11:6800 socket closed (con state OPEN)',
      'httpx.RemoteProtocolError: Server disconnected without sending a response.',
      'http.client.RemoteDisconnected: Remote end closed connection without response',
    ],
    noMatch: ['listener started on 1521', 'connection closed by client after 200 OK'],
  },
  {
    name: 'peers-brokers-and-cluster-fs',
    re: String.raw`(?i:\bconnection closed by (?:the )?remote (?:peer|host|side)\b)|\bConnection to \S+ \(at \S+\) was lost\b|\bMQRC_(?:CONNECTION_BROKEN|Q_MGR_NOT_AVAILABLE|HOST_NOT_AVAILABLE|CONNECTION_ERROR)\b|\bSQL30081N\b|\bA communication error has been detected\b`,
    origin: 'nccl sockets, lustre, ibm mq, db2',
    match: [
      'NCCL WARN socketProgress: Connection closed by remote peer gpu-b09<48112>',
      'Lustre: scratch-OST0003-osc: Connection to scratch-OST0003 (at 10.10.0.23@o2ib) was lost; in progress operations using this service will wait for recovery to complete',
      "MQJE001: Completion Code '2', Reason '2009' (MQRC_CONNECTION_BROKEN)",
      'SQL30081N  A communication error has been detected. Communication protocol being used: "TCP/IP".',
    ],
    noMatch: ['Lustre: scratch-OST0003-osc: Connection restored to 10.10.0.23@o2ib'],
  },
  {
    name: 'cannot-contact-service',
    re: String.raw`(?i:\b(?:unable to|cannot|can\x27t|could not|couldn\x27t|failed to) contact (?:the |any )?[\w.-]+ (?:server|controller|daemon|host|master|service|broker)s?\b)|\bCannot contact any KDC\b|\bLDAP_SERVER_DOWN\b|\bAMQ92(?:02|13)E\b|(?i:\bremote host \x27[^\x27\n]*\x27 not available\b)|\b(?:NSURLErrorDomain|kCFErrorDomainCFNetwork) Code=-10(?:04|05|09)\b|\bThe Internet connection appears to be offline\b|\bThe network connection was lost\b|\(connect failure\)`,
    origin: "LDAP clients, Slurm daemons, Kerberos, IBM MQ channels, iOS/macOS URL loading",
    match: [
      "ldapsearch: ldap_result: Can't contact LDAP server (-1)",
      "srun: error: Unable to contact slurm controller (connect failure)",
      "kinit: Cannot contact any KDC for realm 'EXAMPLE.ORG' while getting initial credentials",
      "AMQ9213E: A communications error for TCP/IP occurred.",
      "Error Domain=NSURLErrorDomain Code=-1009 \"The Internet connection appears to be offline.\"",
    ],
    noMatch: ["contacted slurm controller at ctl01:6817", "ldap: bound to server ldap01 as cn=reader", "Please contact the server administrator"],
  },
  {
    name: 'lost-peer-and-cluster-links',
    // A connection that was up and is gone, as distributed runtimes and cluster stacks say it:
    // "lost connection/communication/contact to/with" a peer (Flink, Open MPI's ORTE, HDFS,
    // game/proxy servers), and corosync's kronosnet links going down.
    re: String.raw`(?i:\blost (?:the )?(?:connection|communication|contact) (?:to|with) (?:the |a |an |remote |node |host )?[\w'"\[/.-])|\blink: host: \d+ link: \d+ is down\b|\bhost: \d+ has no active links\b`,
    origin: 'flink, open mpi (orte/prte), hadoop, corosync knet',
    match: [
      "org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException: Lost connection to task manager 'worker-7/10.3.0.19:40112'.",
      'PRTE has lost communication with a remote daemon.',
      'WARN hdfs.DataStreamer: Lost contact with datanode 10.3.0.21:9866',
      'corosync[2210]:   [KNET  ] link: host: 2 link: 1 is down',
      'corosync[2210]:   [KNET  ] host: host: 2 has no active links',
    ],
    noMatch: [
      'corosync[2210]:   [KNET  ] link: host: 2 link: 1 is up',
      'flink: reconnect policy on lost connection: exponential backoff',
      'metrics: lost_connections_total 0',
    ],
  },
]);

export const DNS_ERROR = patternsOf('DNSError', [
  {
    name: 'getaddrinfo',
    // A lookup failure is the cause of the image pull / download that wraps it (MissingDependency, 95).
    priority: 96,
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
    // A lookup failure is the cause of the image pull / download that wraps it (MissingDependency, 95).
    priority: 96,
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
  },  {
    name: 'runtime-resolver-wording',
    // Name resolution as browsers, Erlang/Elixir, PHP, the JVM, Kafka, .NET, nginx, Go and
    // CoreDNS word it when the lookup itself fails.
    re: String.raw`\bnet::ERR_NAME_(?:NOT_RESOLVED|RESOLUTION_FAILED)\b|\bNS_ERROR_UNKNOWN_HOST\b|\bDNS_PROBE_FINISHED_(?:NXDOMAIN|NO_INTERNET|BAD_CONFIG)\b|\{error,nxdomain\}|:nxdomain\b|\bnon-existing domain\b|\bgetaddrinfo(?:\(\))? failed\b|\bphp_network_getaddresses\b|\bUnresolvedAddressException\b|(?i:\bDNS resolution failed\b)|\bNo resolvable bootstrap urls\b|\bThe remote name could not be resolved\b|\bno resolver defined to resolve\b|\bdial (?:tcp|udp)[46]?: lookup \S+|\bplugin/errors: \d+ \S+ (?:A|AAAA|SRV|PTR|MX|TXT|CNAME|NS|HTTPS):? |(?i:\bcouldn't resolve host\b)|(?i:\bcould not resolve proxy\b)|\bfailed to lookup address information\b`,
    origin: 'browsers, erlang/elixir (inet, mint), php, jvm nio, kafka clients, .NET WebException, nginx, go, coredns, libcurl (cargo, dnf)',
    priority: 96,
    match: [
      'GET https://cdn.example.net/app.js net::ERR_NAME_NOT_RESOLVED',
      '2024-06-02 10:00:00.000 [error] <0.512.0> Failed to connect to broker rabbit@mq-0.internal: {error,nxdomain}',
      '** (Mint.TransportError) non-existing domain',
      '{:error, %Mint.TransportError{reason: :nxdomain}}',
      'requests.exceptions.ConnectionError: [Errno 11001] getaddrinfo failed',
      'PHP Warning:  file_get_contents(): php_network_getaddresses: getaddrinfo for api.example.net failed: Name or service not known',
      'java.nio.channels.UnresolvedAddressException',
      "WARN Couldn't resolve server kafka-0:9092 from bootstrap.servers as DNS resolution failed for kafka-0",
      "System.Net.WebException: The remote name could not be resolved: 'api.example.net'",
      '2024/06/02 10:00:00 [error] 31#31: *1 no resolver defined to resolve api.example.net',
      '[ERROR] plugin/errors: 2 api.example.net. A: read udp 10.244.0.5:48211->10.0.0.2:53: i/o timeout',
      "error: [6] Couldn't resolve host name (Could not resolve host: index.crates.io)",
      'curl: (5) Could not resolve proxy: proxy.corp.example',
    ],
    noMatch: ['resolver: cache hit for api.example.net (ttl 30s)', '[INFO] 10.244.0.5:48211 - 2 "A IN api.example.net. udp 40 false 512" NOERROR qr,rd 92 0.0011s', 'dns: resolved kafka-0 to 10.0.3.4'],
  },
  {
    name: 'resolver-tools',
    // DNS tools and resolvers themselves (dig, nslookup, host, curl, systemd-resolved, ruby Resolv, node dns).
    re: String.raw`\bResolving timed out after\b|\bcouldn't get address for\b|\bno servers could be reached\b|\bserver can't find \S+: |\bresolve call failed\b|\bClientConnectorDNSError\b|\baiodns\.error\.DNSError\b|\bDomain name not found\b|\bquery\w* (?:ESERVFAIL|ETIMEOUT|EREFUSED|ENODATA)\b|\bDNS name does not exist\b|(?i:\bunknown host\b)|\bResolv::ResolvError\b|\bcould not resolve address '`,
    origin: 'libcurl, dig, nslookup, systemd-resolved, aiohttp/aiodns, node dns, windows, ping, ruby, haproxy',
    priority: 96,
    match: [
      'curl: (28) Resolving timed out after 5000 milliseconds',
      ";; communications error to 10.0.0.2#53: timed out\n;; no servers could be reached",
      "** server can't find db.internal: NXDOMAIN",
      "resolve call failed: 'vault.internal' not found",
      "aiodns.error.DNSError: (4, 'Domain name not found')",
      'Error: querySrv ESERVFAIL _mongodb._tcp.cluster0.example.net',
      'ping: unknown host build-9',
      'Resolv::ResolvError: no address for smtp.internal',
      "[ALERT] (1) : parsing [/etc/haproxy/haproxy.cfg:31] : 'server app1' : could not resolve address 'app-1.internal'.",
    ],
    noMatch: [';; Query time: 3 msec', 'resolvectl: DNS Servers: 10.0.0.2', 'host db.internal has address 10.0.4.12'],
  },
  {
    name: 'windows-dns-client',
    re: String.raw`\bName resolution for the name \S+ timed out\b|\bnone of the configured DNS servers responded\b`,
    origin: 'windows DNS client (event 1014)',
    match: ['Name resolution for the name wsus.corp.local timed out after none of the configured DNS servers responded.'],
    noMatch: ['DNS servers: 10.0.0.2, 10.0.0.3'],
  },
  {
    name: 'resolver-library-failures',
    // Resolver libraries reporting the failed lookup in their own words: c-ares (envoy, grpc,
    // node), lua-resty-dns (openresty), Asterisk's SRV/A lookups, Perl's LWP/IO::Socket.
    re: String.raw`(?i:\bdns resolution for \S+ failed\b)|\bfailed with c-ares status \d+|\bC-ares status is not ARES_SUCCESS\b|\bARES_E(?:NOTFOUND|SERVFAIL|TIMEOUT|CONNREFUSED|NODATA)\b|(?i:\bfailed to query (?:the )?DNS server\b)|\bserver returned error code: \d+: (?:name error|server failure)\b|(?i:\bDNS (?:query|lookup) (?:failed|timed out)\b)|\b(?:Unable|Failed) to lookup '[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+'|\(Bad hostname\b|\bBad hostname '`,
    origin: 'c-ares (envoy, grpc), openresty lua-resty-dns, asterisk, perl LWP/IO::Socket',
    priority: 96,
    match: [
      '[2025-02-10 08:00:00.001][7][debug][upstream] [source/extensions/clusters/strict_dns/strict_dns_cluster.cc:170] DNS refresh rate reset for ledger.mesh.local, resolution failed: dns resolution for ledger.mesh.local failed with c-ares status 11',
      'E0210 08:00:00.001 grpc_ares_wrapper.cc:151 (fake) C-ares status is not ARES_SUCCESS qtype=A name=vault.internal is_balancer=0: Could not contact DNS servers',
      '2025/02/10 08:00:00 [error] 17#17: *9 [lua] dns.lua:12: failed to query the DNS server: server returned error code: 3: name error',
      'WARNING[3310]: acl.c:1097 ast_get_ip_or_srv: Unable to lookup \'trunk.voip.example.com\'',
      "Can't connect to files.example.org:443 (Bad hostname 'files.example.org')",
      '500 Can\'t connect to mirror.example.com:80 (Bad hostname)',
    ],
    noMatch: [
      'upstream: dns resolution for ledger.mesh.local completed in 2ms (3 hosts)',
      'resolver: dns lookup ok for vault.internal (ttl 30)',
      "Unable to lookup 'alice' in the address book",
    ],
  },
  {
    name: 'host-not-resolved',
    re: String.raw`\bslurm_set_addr: Unable to resolve\b|(?i:\bunable to resolve host(?:name)?\b)|\bORA-12545\b|(?i:\bcannot resolve (?:network )?address for\b)|\b(?:NSURLErrorDomain|kCFErrorDomainCFNetwork) Code=-100[36]\b|(?i:\ba server with the specified hostname could not be found\b)`,
    origin: 'slurm, generic, oracle',
    match: ["kinit: Cannot resolve network address for KDC in requested realm while getting initial credentials", "Error Domain=NSURLErrorDomain Code=-1003 \"A server with the specified hostname could not be found.\"", 
      'slurmd: error: slurm_set_addr: Unable to resolve "gpu-node-33"',
      'sudo: unable to resolve host build-7: Name or service not known',
      'ORA-12545: Connect failed because target host or object does not exist',
    ],
    noMatch: ['resolved host build-7 to 10.0.0.7'],
  },
]);
