//! What a record says, read from its bytes: timestamp, level, logger, message, exception,
//! stack frames (with the innermost application frame) and the objects recovery needs
//! (paths, hosts, ports, PIDs, services, devices). Hand-written byte parsers: this runs
//! for every record at scan speed, so no regex here.

mod embedded;
mod frames;
mod header;
mod json;
mod objects;
mod shape;
mod time;

pub use embedded::*;
pub use frames::*;
pub use header::*;
pub use objects::*;
pub use shape::*;
pub use time::*;

use std::borrow::Cow;

/// `bytes` as text, invalid UTF-8 replaced as [`String::from_utf8_lossy`] does, with the
/// same result: valid text (nearly every line) is checked by the standard library's
/// word-at-a-time validation, which is several times faster than the byte-by-byte walk of
/// the lossy reader. This runs on the message and names of every record.
pub fn lossy_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The most bytes of a line that its header is read from (and of a JSON field's text): a
/// record's message keeps 4 KiB ([`crate::MAX_MESSAGE_BYTES`]), a shape its first 512 bytes,
/// a template key its first 256 tokens. Past 1 MiB a line is data; reading no further keeps
/// a giant line with invalid UTF-8 or JSON escapes from being copied whole to be read.
pub const MESSAGE_READ_BYTES: usize = 1 << 20;

/// The first `max` bytes of `bytes` or fewer, not cut inside a UTF-8 character: the cut
/// moves back to a character's first byte (at most three bytes back, so a run of stray
/// continuation bytes is still cut). Lossy text of the prefix is a prefix of the lossy text
/// of the whole: a byte that is no continuation byte always starts a character or a
/// replacement.
pub fn read_prefix(bytes: &[u8], max: usize) -> &[u8] {
    if bytes.len() <= max {
        return bytes;
    }
    let mut end = max;
    while end > 0 && max - end < 3 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    &bytes[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message's shape as a string.
    fn shape(message: &str) -> String {
        let mut out = Vec::new();
        shape_bytes_into(message, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn ts(line: &str) -> Option<String> {
        header(line.as_bytes(), 2025).time.map(|t| t.iso())
    }

    #[test]
    fn timestamps() {
        assert_eq!(ts("2025-05-17T10:05:00.123Z ERROR x").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("2025-05-17T12:05:00+02:00 ERROR x").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025-05-17 10:05:00,123 - x - ERROR - y").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("May 17 10:05:00 host app[1]: x").as_deref(), Some("2025-05-17T10:05:00"));
        assert_eq!(ts("May  7 10:05:00 host app[1]: x").as_deref(), Some("2025-05-07T10:05:00"));
        assert_eq!(ts("{\"ts\":1747476300,\"level\":\"error\"}").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("{\"ts\":1747476300123,\"level\":\"error\"}").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("{\"@timestamp\":\"2025-05-17T10:05:00Z\"}").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025/05/17 10:05:00 [error] 12#0: x").as_deref(), Some("2025-05-17T10:05:00"));
        assert_eq!(ts("1.2.3.4 - - [17/May/2025:10:05:00 +0000] \"GET /\"").as_deref(), Some("2025-05-17T10:05:00Z"));
        assert_eq!(ts("2025-05-17 10:05:00.123 UTC [42] ERROR:  x").as_deref(), Some("2025-05-17T10:05:00.123Z"));
        assert_eq!(ts("1234:M 17 May 2025 10:05:00.123 # x").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("05-17 10:05:00.123  1234  1234 E Tag: x").as_deref(), Some("2025-05-17T10:05:00.123"));
        assert_eq!(ts("no time here"), None);
    }

    #[test]
    fn headers() {
        let h = header(b"2025-05-17 10:05:00 - visionai_processor - ERROR - Out of memory", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("visionai_processor"), "Out of memory"));
        let h = header(b"May 17 10:05:00 gpu01 trainer[4242]: CUDA error", 2025);
        assert_eq!((h.logger.as_deref(), h.pid, &*h.message), (Some("trainer"), Some(4242), "CUDA error"));
        let h = header(b"2025-05-17 10:05:00,123 ERROR [main] c.e.App - Request failed", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("c.e.App"), "Request failed"));
        let h = header(b"ERROR:root:boom", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("root"), "boom"));
        let h = header(b"{\"time\":\"2025-05-17T10:05:00Z\",\"level\":\"error\",\"logger\":\"api\",\"msg\":\"boom\"}", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("api"), "boom"));
        let h = header(b"05-17 10:05:00.123  1234  1234 E AndroidRuntime: FATAL EXCEPTION: main", 2025);
        assert_eq!((h.level.as_deref(), h.logger.as_deref(), &*h.message), (Some("ERROR"), Some("AndroidRuntime"), "FATAL EXCEPTION: main"));
        let h = header(b"2025/05/17 10:05:00 [crit] 12#0: *1 open() failed", 2025);
        assert_eq!((h.level.as_deref(), &*h.message), (Some("CRITICAL"), "open() failed"));
    }

    #[test]
    fn journald_entries() {
        // Lines as `journalctl -o json` (systemd 252) wrote them.
        let h = header(br#"{"SYSLOG_IDENTIFIER":"python3","_BOOT_ID":"0123","MESSAGE":"torch.cuda.OutOfMemoryError: CUDA out of memory.","_SYSTEMD_UNIT":"visionai.service","PRIORITY":"3","__REALTIME_TIMESTAMP":"1796180402000000","_PID":"4242","_TRANSPORT":"stdout"}"#, 2025);
        assert_eq!(h.time.map(|t| t.iso()).as_deref(), Some("2026-12-02T03:00:02.000Z"));
        assert_eq!((h.level, h.logger.as_deref(), h.pid, &*h.message), (Some("ERROR"), Some("python3"), Some(4242), "torch.cuda.OutOfMemoryError: CUDA out of memory."));
        let h = header(br#"{"MESSAGE":[79,75,32,255],"__REALTIME_TIMESTAMP":"1796180403000000","_PID":"7","PRIORITY":"2","_SYSTEMD_UNIT":"redis.service"}"#, 2025);
        assert_eq!((h.level, h.logger.as_deref(), h.pid, &*h.message), (Some("CRITICAL"), Some("redis.service"), Some(7), "OK \u{fffd}"));
        let mut text = Vec::new();
        assert!(embedded_lines(br#"{"MESSAGE":[79,75,10,33],"PRIORITY":"3"}"#, &mut text));
        assert_eq!(text, b"OK\n!\n");
    }

    #[test]
    fn generated_ids_and_the_peer_before_a_url() {
        // Thunderbird (loghub): the same deferral, each under its own queue id, is one shape.
        let a = "jA9J1UvC004306: to=root, ctladdr=root (0/0), delay=00:00:01, xdelay=00:00:00, mailer=relay, pri=659060, relay=[127.0.0.1] [127.0.0.1], dsn=4.0.0, stat=Deferred: Connection refused by [127.0.0.1]";
        let b = "jA9J2Vsx004415: to=root, ctladdr=root (0/0), delay=00:00:03, xdelay=00:00:00, mailer=relay, pri=659311, relay=[127.0.0.1] [127.0.0.1], dsn=4.0.0, stat=Deferred: Connection refused by [127.0.0.1]";
        assert_eq!(shape(a), shape(b));
        assert!(shape(a).starts_with("<id>: to=root"), "{}", shape(a));
        assert_eq!(shape("jA9JBVPb004306: to=root"), "<id>: to=root");
        for word in ["CUDA11", "utf8mb4", "sha256", "x86", "Python311", "ResNet50v2", "RTX3090Ti"] {
            assert_eq!(shape(word).contains("<id>"), false, "{word}");
        }
        // Hadoop (loghub): the peer named by the log, before the wiki link in the exception text.
        let line = b"java.net.NoRouteToHostException: No Route to Host from  MININT-FNANLI5/127.0.0.1 to msra-sa-41:9000 failed on socket timeout exception: java.net.NoRouteToHostException: No route to host: no further information; For more details see:  http://wiki.apache.org/hadoop/NoRouteToHost";
        let o = objects(line, &Header::default());
        assert_eq!(o.hosts, vec!["msra-sa-41", "wiki.apache.org"]);
        assert!(o.ports.contains(&9000));
        let o = objects(b"Retrying connect to server: msra-sa-41:8030. Already tried 0 time(s)", &Header::default());
        assert_eq!((o.hosts, o.ports), (vec!["msra-sa-41".to_string()], vec![8030]));
    }

    #[test]
    fn lines_archived_with_an_epoch_prefix() {
        // loghub BGL: alert tag, epoch, date, node, then the node's own line.
        let h = header(b"KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt", 2026);
        assert_eq!(h.time.map(|t| t.iso()).as_deref(), Some("2005-06-12T00:32:07Z"));
        assert_eq!((h.level, &*h.message), (Some("FATAL"), "data TLB error interrupt"));
        let h = header(b"- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected", 2026);
        assert_eq!((h.level, &*h.message), (Some("INFO"), "instruction cache parity error corrected"));
        // loghub Thunderbird: the archived line is a syslog line.
        let h = header(b"- 1131566491 2005.11.09 eadmin1 Nov 9 12:01:31 src@eadmin1 sendmail[4306]: jA9J1UvC004306: to=root, stat=Deferred: Connection refused by [127.0.0.1]", 2026);
        assert_eq!(h.time.map(|t| t.iso()).as_deref(), Some("2005-11-09T20:01:31Z"));
        assert_eq!((h.logger.as_deref(), h.pid, &*h.message), (Some("sendmail"), Some(4306), "jA9J1UvC004306: to=root, stat=Deferred: Connection refused by [127.0.0.1]"));
        // Not a prefix: an ordinary line that starts with a dash or a number.
        assert!(header(b"- 1131566491 items processed", 2026).time.is_none());
    }

    /// (time, level, logger, message) of a line, the year fixed at 2025.
    fn read(line: &str) -> (Option<String>, Option<&'static str>, Option<String>, String) {
        let h = header(line.as_bytes(), 2025);
        (h.time.map(|t| t.iso()), h.level, h.logger.map(|l| l.into_owned()), h.message.into_owned())
    }

    #[test]
    fn headers_as_servers_and_collectors_write_them() {
        // log4j with a thread name that has spaces; one without a logger after it keeps the group.
        let (_, level, logger, message) = read("2015-10-18 18:01:51,806 INFO [IPC Server handler 5 on 8020] org.apache.hadoop.ipc.Server: IPC Server Responder: starting");
        assert_eq!((level, logger.as_deref(), &*message), (Some("INFO"), Some("org.apache.hadoop.ipc.Server"), "IPC Server Responder: starting"));
        let (_, level, _, message) = read("[Sun Dec 04 05:15:09 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/");
        assert_eq!((level, &*message), (Some("ERROR"), "[client 222.166.160.184] Directory index forbidden by rule: /var/www/html/"));
        // ZooKeeper: `LEVEL [thread] - msg`, the message may start with a dash-separated word.
        let (_, level, _, message) = read("2015-07-31 19:30:07,452 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:Follower@63] - FOLLOWING - LEADER ELECTION TOOK - 49");
        assert_eq!((level, &*message), (Some("INFO"), "FOLLOWING - LEADER ELECTION TOOK - 49"));
        // HDFS `YYMMDD HHMMSS`, Spark `yy/MM/dd`.
        let (time, level, _, message) = read("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating");
        assert_eq!((time.as_deref(), level, &*message), (Some("2008-11-09T20:36:15"), Some("INFO"), "PacketResponder 1 terminating"));
        let (time, _, logger, _) = read("17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi");
        assert_eq!((time.as_deref(), logger.as_deref()), (Some("2017-06-09T20:10:40"), Some("spark.SecurityManager")));
        // Bar-separated fields after a compact time whose fields are not zero-padded.
        let (time, _, logger, message) = read("20171224-0:0:0:234|Step_StandStepDataManager|30002312|tryToReload1514044800223|3786|0|0");
        assert_eq!((time.as_deref(), logger.as_deref(), &*message), (Some("2017-12-24T00:00:00.234"), Some("Step_StandStepDataManager"), "tryToReload1514044800223|3786|0|0"));
        // Proxifier: month.day in brackets, a program name of two words before ` - `.
        let (time, _, logger, message) = read("[10.30 16:51:56] svchost.exe *64 - proxy.cse.cuhk.edu.hk:5070 close, 303 bytes sent");
        assert_eq!((time.as_deref(), logger.as_deref(), &*message), (Some("2025-10-30T16:51:56"), Some("svchost.exe *64"), "proxy.cse.cuhk.edu.hk:5070 close, 303 bytes sent"));
        // Windows CBS: a comma after the time, then aligned columns.
        let (_, level, logger, message) = read("2016-09-28 04:30:31, Info                  CSI    00000001@2016/9/27:20:30:31.455 WcpInitialize called");
        assert_eq!((level, logger.as_deref(), &*message), (Some("INFO"), Some("CSI"), "00000001@2016/9/27:20:30:31.455 WcpInitialize called"));
        // A source name before the line's own time; oslo.log's request context after the logger.
        let (time, level, logger, message) = read("nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO nova.osapi_compute.wsgi.server [req-38 113d 54fa - - -] 10.11.10.1 \"GET /v2\" status: 200");
        assert_eq!((time.as_deref(), level, logger.as_deref(), &*message), (Some("2017-05-16T00:00:00.008"), Some("INFO"), Some("nova.osapi_compute.wsgi.server"), "10.11.10.1 \"GET /v2\" status: 200"));
        // A numbered export: record number, node, component, state, epoch seconds, flag.
        let (time, _, _, message) = read("2286759 full partition status 1061219795 -1 running");
        assert_eq!((time.as_deref(), &*message), (Some("2003-08-18T15:16:35Z"), "running"));
        // syslog tags: a name with a space, a detail in parentheses, a version.
        for (line, name, message) in [
            ("Jul  1 09:01:05 calvisitor-10-105-160-95 Microsoft Word[31236]: Word started", "Microsoft Word", "Word started"),
            ("Jul  1 09:29:02 calvisitor-10-105-160-95 sandboxd[129] ([31211]): deny network-outbound", "sandboxd", "deny network-outbound"),
            ("Jun 19 04:09:11 combo syslogd 1.4.1: restart.", "syslogd 1.4.1", "restart."),
            ("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure", "sshd(pam_unix)", "authentication failure"),
        ] {
            let (_, _, logger, m) = read(line);
            assert_eq!((logger.as_deref(), &*m), (Some(name), message), "{line}");
        }
        // Not headers: a message that only looks like one stays whole.
        assert_eq!(read("2025-05-17 10:05:00 Connection to db (primary): refused").3, "Connection to db (primary): refused");
        assert_eq!(read("2025-05-17 10:05:00 ******* GOODBYE").3, "******* GOODBYE");
        assert!(read("12345 bytes sent in 1061219795 ns").0.is_none(), "a number among words is no export prefix");
        assert!(read("123456 654321 not a time").0.is_none(), "65:43:21 is no clock");
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Killed process 1234 (python) total-vm:123456kB"), "Killed process <n> (python) total-vm:<n>kB");
        assert_eq!(shape("open /data/models/a.pt failed"), "open <path> failed");
        assert_eq!(shape("connect to 10.0.0.1:5432 refused"), "connect to <ip> refused");
        assert_eq!(shape("sha deadbeef12 at 0x7f00"), "sha <hex> at <hex>");
        assert_eq!(shape("Model file corrupt: clips_base.pt checksum mismatch"), "Model file corrupt: <path> checksum mismatch");
        // Words whose trailing ':' or '.' is kept outside the mask, a UUID of letters alone.
        assert_eq!(shape("at host:. see https://x.io/a: job abcdefab-abcd-abcd-abcd-abcdefabcdef, port 10.0.0.1:80."), "at host:. see <url>: job <id>, port <ip>.");
    }

    #[test]
    fn embedded_text_is_expanded_alike_from_the_chunk_copy() {
        let records: [&[u8]; 4] = [
            br#"{"msg":"boom","exc_info":"Traceback (most recent call last):\n  File \"/app/a.py\", line 3, in f\nValueError: bad \u00e9"}"#,
            b"{\"msg\":\"x\",\"stack\":\"Error: y\\n    at f (/app/b.js:1:2)\"}\r\n    at g (/app/c.js:3:4)\n\nmore",
            b"{\"err\":{\"stack\":\"E\\n\\tat a.B.c(B.java:9)\\\"q\\\\\"},\"bad\":\"\xff\\n\"}",
            br#"{"unterminated":"a\nb"#,
        ];
        for text in records {
            let mut embedded = Vec::new();
            let first = text.split(|&b| b == b'\n').next().unwrap();
            assert!(embedded_lines(first, &mut embedded), "{}", String::from_utf8_lossy(text));
            let pieces = embedded_pieces(text, &embedded);
            assert_eq!(pieces.join(&b'\n'), &*expand_embedded(text), "{}", String::from_utf8_lossy(text));
            // Read in pieces, the frames and the exception are those of the joined text.
            let (frames, lang) = frames_in(&pieces);
            assert_eq!((frames.clone(), lang), super::frames(&expand_embedded(text)));
            assert_eq!(exception_in(&pieces, lang), exception(&expand_embedded(text), lang));
            assert!(std::str::from_utf8(&embedded).is_ok());
        }
        let (mut out, line) = (Vec::new(), br#"{"a":"x\ny\u0041","b":"no break","c":"tab\there\nz"}"#);
        assert!(embedded_lines(line, &mut out));
        assert_eq!(out, b"x\nyA\ntab\there\nz\n");
    }

    #[test]
    fn objects_named() {
        let h = Header::default();
        let o = objects(b"CUDA error on cuda:0 (GPU 1) writing /data/x.bin for nvidia0 to db.internal:5432 pid=77 redis.service", &h);
        assert_eq!(o.devices, vec!["cuda:0", "GPU 1", "nvidia0"]);
        assert_eq!(o.paths, vec!["/data/x.bin"]);
        assert_eq!(o.hosts, vec!["db.internal"]);
        assert_eq!(o.ports, vec![5432]);
        assert_eq!(o.pids, vec![77]);
        assert_eq!(o.services, vec!["redis.service"]);
        let o = objects(b"Model file corrupt: clips_base.pt checksum mismatch", &h);
        assert_eq!(o.paths, vec!["clips_base.pt"]);
    }
}
