// Storage: a full disk (DiskSpace) and failing devices, filesystems or missing files
// (IOError), as libc, the kernel block layer, filesystems, databases and runtimes say it.

import { HEALTHY, patternsOf, zosAbend } from './define.js';

export const DISK_SPACE = patternsOf('DiskSpace', [
  {
    name: 'enospc',
    re: String.raw`(?i:\bno space left on device\b)|\b(?:ENOSPC|enospc)\b`,
    origin: 'libc strerror(ENOSPC): every runtime',
    match: [
      "OSError: [Errno 28] No space left on device: '/var/cache/app/tmp/frame_00042.png'",
      'Error: ENOSPC: no space left on device, write',
      'write /var/lib/app/wal/000123.log: no space left on device',
      '2024/06/02 10:20:00 [crit] 2231#2231: *88160 pwrite() "/var/cache/nginx/client_temp/0000000042" failed (28: No space left on device)',
      // Erlang/OTP reports errno as a lowercase atom.
      '** (File.Error) could not write to file "/var/lib/couchdb/shards/00-1f.couch": enospc',
    ],
    noMatch: [HEALTHY.diskOk, 'df: /data 120G free of 500G', 'space left on device /dev/sda1: 41%'],
  },
  {
    name: 'disk-quota',
    re: String.raw`(?i:\bdisk quota exceeded\b)|\bEDQUOT\b`,
    origin: 'libc strerror(EDQUOT)',
    match: ["OSError: [Errno 122] Disk quota exceeded: '/home/render/out/clip.mp4'", 'write error: Disk quota exceeded'],
    noMatch: ['quota: user render uses 12G of 50G (24%)'],
  },
  {
    name: 'db-storage-full',
    re: String.raw`\bcould not extend file\b|HINT: +Check free disk space|(?i:\bdatabase or disk is full\b)|\bSQLITE_FULL\b|The table '[^']+' is full|Operating system error number 28\b|Got error 28 from storage engine`,
    origin: 'postgresql, sqlite, mysql/innodb',
    match: [
      '2024-06-03 08:16:00.000 UTC [8860] ERROR:  could not extend file "base/16384/24591": wrote only 4096 of 8192 bytes at block 13986',
      '2024-06-03 08:16:00.000 UTC [8860] HINT:  Check free disk space.',
      'sqlite3.OperationalError: database or disk is full',
      "ERROR 1114 (HY000): The table 'events' is full",
      '[InnoDB] Write to file ./ibdata1 failed at offset 104857600. Operating system error number 28.',
    ],
    noMatch: ['checkpoint complete: wrote 4412 buffers (26.9%); 0 WAL file(s) added', "table 'events' analyzed: 1200000 rows"],
  },
  {
    name: 'not-enough-space',
    re: String.raw`(?i:\bnot enough (?:free )?space on the disk\b)|(?i:\b(?:low|out of|running out of|insufficient) disk space\b)|(?i:\bdisk is full\b)`,
    origin: 'windows/.NET, application monitors',
    match: ['System.IO.IOException: There is not enough space on the disk.', 'WARNING: low disk space on /var/lib/docker (1.1 GiB free, 0.9%)', 'backup aborted: disk is full'],
    noMatch: [HEALTHY.diskOk, 'low_disk_space_threshold=10%', 'disk usage 41% (ok)'],
  },
  {
    name: 'k8s-disk-pressure',
    re: String.raw`\blow on resource: ephemeral-storage\b|\bFreeDiskSpaceFailed\b|\bNodeHasDiskPressure\b|flood stage disk watermark \[[^\]]*\] exceeded`,
    origin: 'kubernetes kubelet, elasticsearch',
    match: [
      'Warning  Evicted  kubelet  The node was low on resource: ephemeral-storage. Threshold quantity: 4Gi, available: 1820Mi.',
      'Warning  FreeDiskSpaceFailed  kubelet  failed to garbage collect required amount of images.',
      'Normal  NodeHasDiskPressure  node/worker-2  Node worker-2 status is now: NodeHasDiskPressure',
      'flood stage disk watermark [95%] exceeded on [node-1][/var/lib/elasticsearch] free: 1.2gb[2.4%]',
    ],
    noMatch: ['Normal  NodeHasNoDiskPressure  node/worker-2  Node worker-2 status is now: NodeHasNoDiskPressure', 'cluster.routing.allocation.disk.watermark.flood_stage: 95%'],
  },  {
    name: 'inodes-exhausted',
    // A filesystem can be out of inodes with free blocks left: file creation fails all the same.
    re: String.raw`(?i:\binodes? (?:usage|use|used)[: ]{1,2}(?:is |at )?100 ?%)|(?i:\b(?:no|out of) (?:free )?inodes\b)|(?i:\binodes? (?:exhausted|exhaustion)\b)|(?i:\brunning out of inodes\b)|\bIFree=0\b`,
    origin: 'disk monitors (nagios check_disk, node-exporter alerts), df -i readers, filesystems',
    match: [
      'CRITICAL /var/spool inode usage 100% (IFree=0 of 6553600)',
      'mkdir: cannot create directory: no free inodes on /dev/sdb1',
      'ALERT NodeFilesystemFilesFillingUp: /data is running out of inodes',
      'ext4: inode exhaustion on /dev/vdb, creating files fails',
    ],
    noMatch: ['inode usage 41% (IFree=3862000 of 6553600)', 'df -i: /data IUse% 12'],
  },
  {
    name: 'store-space-quota',
    // Stores and clusters that refuse writes because their space or quota is used up.
    re: String.raw`(?i:\bdatabase space exceeded\b)|\balarm:NOSPACE\b|\b(?:DS|NS)QuotaExceededException\b|(?i:\b(?:disk ?space|storage|space) quota (?:of \S+ )?(?:is |has been |was )?exceeded\b)|(?i:\bover (?:your|its|the) (?:space|storage|disk) quota\b)|\bread-only-allow-delete\b|\bindex read-only / allow delete\b|\bhigh disk watermark \[[^\]]*\] exceeded\b|\bORA-0(?:1652|1653|1654|1688|1691|1536|0257)\b|\bfilegroup is full\b|\bThe transaction log for database '[^']+' is full\b|\bDisk full \(|\bThin Pool has \d+ free data blocks\b|\bstorage-full\b|\bcondition: \[DiskPressure\]|\battempting to reclaim (?:ephemeral-storage|nodefs|imagefs)\b`,
    origin: 'etcd, hdfs, cloud storage quotas, elasticsearch, oracle, sql server, mysql, docker devicemapper, aws rds, kubelet',
    match: [
      'etcdserver: mvcc: database space exceeded',
      'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException: The DiskSpace quota of /user/etl is exceeded: quota = 1099511627776 B',
      'googleapiclient.errors.HttpError: The user has exceeded their Drive storage quota: storage quota has been exceeded',
      'cluster_block_exception: index [logs-2024.06.02] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]',
      'high disk watermark [90%] exceeded on [node-1][/var/lib/elasticsearch] free: 9.8gb[8.1%], shards will be relocated away from this node',
      'ORA-01653: unable to extend table APP.EVENTS by 1024 in tablespace USERS',
      "Msg 9002: The transaction log for database 'shop' is full due to 'LOG_BACKUP'.",
      "[ERROR] /usr/sbin/mysqld: Disk full (/tmp/#sql_1_0.MAI); waiting for someone to free some space... (errno: 28)",
      'kubelet: eviction manager: attempting to reclaim ephemeral-storage',
    ],
    noMatch: ['etcd: db size 2.1 GB, quota-backend-bytes 8 GB', 'hdfs dfs -count -q /user/etl: QUOTA 1T REM_QUOTA 600G', 'low disk watermark [85%] not exceeded'],
  },
  {
    name: 'enospc-codes',
    // ENOSPC and ERROR_DISK_FULL by number, where the message is cut or localised.
    re: String.raw`\[Errno 28\]|\[WinError 112\]|\b0x80070070\b|\bERROR_DISK_FULL\b|(?i:\bfile ?system (?:is )?full\b)|(?i:\bdisk space (?:is (?:too |critically )?low|(?:is )?below (?:the )?(?:threshold|minimum))\b)|(?i:\bminimum free (?:drive|disk) (?:space )?threshold\b)|${zosAbend('B37|D37|E37')}|\bIEC03[012]I [BDE]37\b`,
    origin: 'python, windows/.NET HRESULT, BSD kernels, jenkins and CI agents',
    match: [
      "Storage backend has reached its minimum free drive threshold. Please delete a few objects to proceed.",
      "IEC031I D37-04,IFG0554P,NIGHTLY1,STEP3,SORTOUT",
      "IEF450I NIGHTLY1 STEP3 - ABEND=SB37 U0000 REASON=00000004",
      "OSError: [Errno 28] Espace insuffisant sur le périphérique: '/srv/out/clip.mp4'",
      'shutil.Error: [WinError 112] ',
      'System.IO.IOException: (0x80070070) ',
      '/var: write failed, filesystem is full',
      'Jenkins: Disk space is below threshold of 1.00 GiB. Only 412.20 MiB out of 49.09 GiB left on /var/lib/jenkins.',
    ],
    noMatch: ['[Errno 2] No such file or directory', 'filesystem /data: 41% used', 'disk space threshold = 1GiB'],
  },
  {
    name: 'space-wording-more',
    // More ways tools say the space ran out: package managers, PHP, Windows, Ceph, ZFS,
    // object stores, Kubernetes volume limits, PostgreSQL temp files.
    re: String.raw`\bYou don't have enough free space in\b|\bmore space on the \S+ filesystem\b|\bpossibly out of free disk space\b|(?i:\bnot enough (?:free |available )?disk space\b)|(?i:\bnot enough (?:free )?space (?:on (?:the )?(?:disk|device|volume|drive|partition)|for compaction|left on)\b)|\b507 Insufficient Storage\b|\bStorage resources are insufficient\b|\b\d+ full osd\(s\)|\bOSD_FULL\b|\bPOOL_FULL\b|(?i:\b(?:pool|volume|filesystem|dataset|datastore) \S+ (?:is )?out of space\b)|\bUsage of EmptyDir volume \S+ exceeds the limit\b|\bexceeded its local ephemeral storage limit\b|\btemporary file size exceeds temp_file_limit\b|\bis at or near capacity\b|(?i:\bdisk is (?:almost |nearly )full\b)|\bERROR_HANDLE_DISK_FULL\b|\b(?:low|high) disk watermark \[[^\]]*\] exceeded\b`,
    origin: 'apt, dnf, php, cassandra, webdav/http, minio, ceph, zfs, kubelet, postgresql, windows, macos, elasticsearch',
    match: [
      "E: You don't have enough free space in /var/cache/apt/archives/.",
      'Error: Transaction test error: installing package kernel-6.8.9 needs 41MB more space on the /boot filesystem',
      'PHP Warning:  file_put_contents(): Only 0 of 8192 bytes written, possibly out of free disk space in /var/www/app/Cache.php on line 88',
      'WARN [CompactionExecutor:3] Not enough space for compaction, 1024MB estimated. Reducing scope.',
      'HEALTH_ERR 1 full osd(s); 2 pool(s) full',
      "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. Usage of EmptyDir volume \"scratch\" exceeds the limit \"1Gi\".",
      'ERROR:  temporary file size exceeds temp_file_limit (1048576kB)',
      'The C: disk is at or near capacity. You may need to delete some files.',
      'low disk watermark [85%] exceeded on [node-2][/var/lib/elasticsearch] replicas will not be assigned to this node',
      'Time Machine: backup skipped, not enough available disk space on "Archive HD".',
    ],
    noMatch: ['apt: 412 MB of additional disk space will be used.', 'ceph: HEALTH_OK, 12 osds: 12 up, 12 in', 'emptyDir sizeLimit: 1Gi'],
  },
  {
    name: 'out-of-space',
    re: String.raw`(?i:: out of (?:disk )?space\b)|(?i:\bran out of (?:disk )?space\b)`,
    origin: 'zfs, btrfs, generic tools',
    match: ["cannot create 'tank/projects/x': out of space", 'backup: ran out of disk space writing /mnt/b/2026-11-28.tar'],
    noMatch: ['out of spacers: none', 'space: 41% used'],
  },
  {
    name: 'space-monitors-and-installers',
    // Build systems' disk monitors, column stores reserving space, hypervisors pausing a VM
    // whose virtual disk cannot grow, and embedded package managers short of flash.
    re: String.raw`(?i:\bfree (?:disk )?space (?:of|on|for) \S+ (?:\([^)\n]*\) )?is running low\b)|(?i:\b(?:disk|free) space (?:is )?running low\b)|(?i:\brunning low on (?:free |disk )?space\b)|\bsince the disk space monitor action is\b|\bNOT_ENOUGH_SPACE\b|(?i:\bcannot reserve [\d.]+ ?\w+, not enough space\b)|(?i:\bno more (?:free )?space (?:for (?:the )?virtual disk|on (?:the )?(?:disk|device|volume|drive|partition|datastore))\b)|\bOnly have \S+ available on filesystem\b`,
    origin: 'bitbake/yocto disk monitor, clickhouse, vmware workstation/esxi, opkg (openwrt), desktop and CI agents',
    match: [
      'WARNING: The free space of /srv/poky/build/sstate-cache (/dev/sdb2) is running low (1.412GB left)',
      'ERROR: Immediately halt since the disk space monitor action is "HALT"!',
      'Code: 243. DB::Exception: Cannot reserve 16.00 MiB, not enough space. (NOT_ENOUGH_SPACE)',
      "There is no more space for virtual disk 'ci-runner-03.vmdk'. Free some space and click Retry.",
      ' * verify_pkg_installable: Only have 64kb available on filesystem /overlay, pkg collectd-mod-cpu needs 212',
      'agent: disk space running low on /var/lib/buildkite (2.1 GiB free)',
    ],
    noMatch: [
      'NOTE: disk space monitor: 42.1GB free on /srv/poky/build/tmp',
      'BB_DISKMON_DIRS = "STOPTASKS,${TMPDIR},1G,100K HALT,${TMPDIR},100M,1K"',
      'reserved 16.00 MiB on disk default for part all_1_1_0',
      'opkg: 14.2MB available on filesystem /overlay',
      HEALTHY.diskOk,
    ],
  },
  {
    name: 'broker-store-full',
    re: String.raw`\bdisk resource limit alarm set\b|(?i:\b(?:persistent|temp|temporary) store is full\b)`,
    origin: 'rabbitmq, activemq',
    match: [
      'disk resource limit alarm set on node rabbit@mq-2.',
      'Usage(default:store) percentUsage=100%: Persistent store is Full, 100% of 10737418240. Stopping producer',
    ],
    noMatch: ['disk resource limit alarm cleared on node rabbit@mq-2'],
  },
]);

export const IO_ERROR = patternsOf('IOError', [
  {
    name: 'eio',
    re: String.raw`(?i:\binput/output error\b)|\bEIO\b|\[Errno 5\]`,
    origin: 'libc strerror(EIO): every runtime, coreutils, rsync',
    match: [
      "OSError: [Errno 5] Input/output error: '/mnt/nas/dataset/part-0001.tar'",
      'Error: EIO: i/o error, read',
      "cp: error reading '/mnt/usb/photos/IMG_2231.JPG': Input/output error",
    ],
    noMatch: ['io stats: read 12 MB/s, write 3 MB/s, errors 0', HEALTHY.zeroErrors],
  },
  {
    name: 'kernel-io-error',
    re: String.raw`(?i:\bI/O error(?:,|:| on | in |$))|\bfailed command: (?:READ|WRITE)|\bMedium Error\b|\btag#\d+ FAILED Result:|\bI/O \d+ QID \d+ timeout\b|Currently unreadable \(pending\) sectors|Offline uncorrectable sectors|\bmd/raid\d*:\S+: Disk failure on\b`,
    origin: 'linux kernel block layer (blk_update_request, buffer I/O, ata, scsi, nvme), smartd',
    match: [
      "[ 2231.551200] md/raid1:md0: Disk failure on sdb1, disabling device.",
      '[ 8823.119201] blk_update_request: I/O error, dev sda, sector 194823168 op 0x0:(READ) flags 0x80700',
      '[ 8823.119455] Buffer I/O error on dev sda1, logical block 24352640, async page read',
      '[12001.884310] XFS (dm-2): metadata I/O error in "xfs_trans_read_buf_map" at daddr 0x2a8 len 8 error 5',
      '[ 7712.030412] ata3.00: failed command: READ FPDMA QUEUED',
      '[ 7712.031290] sd 2:0:0:0: [sdb] tag#17 Sense Key : Medium Error [current]',
      '[20441.002233] nvme nvme0: I/O 412 QID 7 timeout, aborting',
      'smartd[1102]: Device: /dev/sdc [SAT], 8 Currently unreadable (pending) sectors',
    ],
    noMatch: ['disk I/O error rate 0.0 over 24h', 'I/O errors: 0', 'smartd[1102]: Device: /dev/sdc [SAT], SMART overall-health self-assessment test result: PASSED'],
  },
  {
    name: 'filesystem-error',
    re: String.raw`\bEXT[234]-fs error\b|\bRemounting filesystem read-only\b|\bXFS \(\S+\): (?:Corruption|metadata I/O error)|\bBTRFS (?:error|critical)\b`,
    origin: 'linux kernel filesystems (ext4, xfs, btrfs)',
    match: [
      '[ 9930.551002] EXT4-fs error (device sdb1): ext4_find_entry:1463: inode #2: comm ls: reading directory lblock 0',
      '[ 9930.552114] EXT4-fs (sdb1): Remounting filesystem read-only',
    ],
    noMatch: ['[    3.112233] EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.'],
  },
  {
    name: 'file-not-found',
    re: String.raw`\bFileNotFoundError: |\bjava\.io\.FileNotFoundException\b|\bNoSuchFileException\b|\bENOENT: no such file or directory\b|^IOError: `,
    origin: 'python, jvm, node.js',
    match: [
      "FileNotFoundError: [Errno 2] No such file or directory: '/data/incoming/batch_0917.csv'",
      'java.io.FileNotFoundException: /data/exports/report-2024-06.csv (No such file or directory)',
      'java.nio.file.NoSuchFileException: /opt/app/cache/index.bin',
      "Error: ENOENT: no such file or directory, open '/app/uploads/a81f.png'",
      'IOError: [Errno 5] Input/output error',
    ],
    noMatch: [
      '2024/06/02 10:30:00 [error] 2231#2231: *88170 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)',
      'cache miss: /opt/app/cache/index.bin not present, rebuilding',
    ],
  },
  {
    name: 'java-ioexception',
    re: String.raw`\bjava\.io\.IOException: `,
    origin: 'jvm',
    match: ['java.io.IOException: Input/output error', 'java.io.IOException: Stream closed'],
    noMatch: ['registered handler for java.io.IOException', HEALTHY.testSummary],
  },  {
    name: 'closed-stream',
    // Reading or writing a file/stream that was already closed, as each runtime words it.
    re: String.raw`\bI/O operation on closed file\b|\bCannot access a closed (?:Stream|file)\b|\bIOError: (?:closed stream|not opened for (?:reading|writing))\b|\b(?:file already closed|use of closed file|read/write on closed pipe)\b|\bERR_STREAM_(?:WRITE_AFTER_END|DESTROYED|PREMATURE_CLOSE)\b|(?i:\bbad file descriptor\b)|\bEBADF\b`,
    origin: 'python, .NET (ObjectDisposedException), ruby, go os/io, node streams, libc strerror(EBADF)',
    match: [
      'ValueError: I/O operation on closed file.',
      'System.ObjectDisposedException: Cannot access a closed Stream.',
      'IOError: closed stream',
      'write /var/log/app/out.log: file already closed',
      'Error [ERR_STREAM_WRITE_AFTER_END]: write after end',
      'OSError: [Errno 9] Bad file descriptor',
    ],
    noMatch: ['closed file /var/log/app/out.log after rotation', 'stream closed cleanly (EOF)'],
  },
  {
    name: 'stdout-closed',
    // Output to a pipe whose reader went away (`| head`): a local I/O condition, not a
    // network peer, so it outranks ConnectionError's broken pipe.
    re: String.raw`Exception ignored in: <_io\.\w+ name='<std(?:out|err)>'|\bfailed printing to std(?:out|err)\b|(?i:\bwrite (?:error|failed)[^\n]*\b(?:standard output|stdout)\b)`,
    origin: 'python, rust (print!), coreutils',
    priority: 66,
    match: [
      "Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>",
      "thread 'main' panicked at library/std/src/io/stdio.rs:1118:9: failed printing to stdout: Broken pipe (os error 32)",
      "sort: write failed: 'standard output': Broken pipe",
    ],
    noMatch: ['redirecting stdout to /var/log/app/out.log', 'Exception ignored in: <function Pool.__del__ at 0x7f>'],
  },
  {
    name: 'missing-file-runtimes',
    // A file that is not there, as runtimes other than Python/JVM/Node word it.
    re: String.raw`\bCould not find (?:file|a part of the path) '|\bErrno::ENOENT\b|(?i:\bfailed to open stream: No such file or directory\b)|\bFile\.Error\)? could not (?:read|open|write) file\b|\{error,enoent\}|\bNo such file or directory \(os error 2\)|\bSystemError: opening file\b|(?i:\b(?:cannot|can't|could not|couldn't|unable to|failed to) (?:open|read|stat|access|load)\b[^\n]*\bNo such file or directory\b)|\bopen \S+: no such file or directory\b|\bfilesystem error: [^\n]*No such file or directory`,
    // .NET's FileNotFoundException also reports a missing assembly (ImportError): the
    // missing-file wording is its message, not the class.
    origin: '.NET, ruby, php, elixir/erlang, rust, julia, R/perl/coreutils, go, c++ std::filesystem',
    match: [
      "System.IO.FileNotFoundException: Could not find file '/app/data/rates.csv'.",
      'Errno::ENOENT: No such file or directory @ rb_sysopen - /srv/app/tmp/report.csv',
      'PHP Warning:  fopen(/var/www/storage/app/export.csv): Failed to open stream: No such file or directory in /var/www/app/Export.php on line 41',
      '** (File.Error) could not read file "priv/data/seed.csv": no such file or directory',
      'Error: No such file or directory (os error 2)',
      "Error in file(file, \"rt\") : cannot open the connection ... cannot open file 'data/input.csv': No such file or directory",
      'open /data/incoming/batch_0917.csv: no such file or directory',
      "cp: cannot stat '/data/exports/report.csv': No such file or directory",
    ],
    noMatch: [
      '2024/06/02 10:30:00 [error] 2231#2231: *88170 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory)',
      'created /data/incoming/batch_0917.csv',
      'loaded assembly Serilog, Version=3.0.0.0 from /app/Serilog.dll',
    ],
  },
  {
    name: 'device-and-volume-failure',
    // Storage that failed below the filesystem: arrays, pools, volumes, SMART, mounts.
    re: String.raw`\bencountered an uncorrectable I/O failure\b|\bFail event detected on md device\b|\bDegradedArray event detected\b|\bFAILING_NOW\b|SMART overall-health self-assessment test result: FAILED|\bFilesystem has been shut down due to\b|\bxfs_do_force_shutdown\b|(?i:\bstale (?:NFS )?file handle\b)|\bESTALE\b|\bbecause of an I/O device error\b|\bData error \(cyclic redundancy check\)|\bOperating system error number (?:5|121)\b|\bMountVolume\.\w+ failed for volume\b|\bUnable to attach or mount volumes\b|\bBlockMissingException\b|\bCould not obtain block\b|\bKafkaStorageException\b|\ball log dirs in \S+ have failed\b|\bcritical medium error\b|\bUncheckedIOException: |\{error,eio\}|\bSystem\.IO\.IOException: `,
    origin: 'zfs, mdadm, smartd, xfs, nfs, windows, innodb, kubernetes volumes, hdfs, kafka, linux block layer, jvm, erlang, .NET',
    match: [
      'ZFS: pool tank has encountered an uncorrectable I/O failure and has been suspended.',
      'mdadm[812]: Fail event detected on md device /dev/md0, component device /dev/sdb1',
      'smartd[1102]: Device: /dev/sdc [SAT], SMART overall-health self-assessment test result: FAILED!',
      '[ 9931.001200] XFS (dm-2): Filesystem has been shut down due to log error (0x2).',
      "ls: cannot access '/mnt/nfs/share': Stale file handle",
      'The request could not be performed because of an I/O device error.',
      '[ERROR] InnoDB: Operating system error number 5 in a file operation.',
      'Warning  FailedMount  kubelet  MountVolume.MountDevice failed for volume "pvc-41" : rpc error: code = Internal desc = mount failed: exit status 32',
      'org.apache.hadoop.hdfs.BlockMissingException: Could not obtain block: BP-1:blk_1073741825_1001 file=/data/part-00000',
      'Shutdown broker because all log dirs in /var/kafka-logs have failed (kafka.log.LogManager)',
      'System.IO.IOException: The process cannot access the file \'/app/data/db.lock\' because it is being used by another process.',
    ],
    noMatch: ['smartd[1102]: Device: /dev/sdc [SAT], SMART overall-health self-assessment test result: PASSED', 'MountVolume.SetUp succeeded for volume "config"', 'md0: array is clean, 2/2 devices active'],
  },
  {
    name: 'device-and-file-more',
    // More device, journal and filesystem failures (kernel, Windows, HDFS) and file-type errors.
    re: String.raw`(?i:\bstructure needs cleaning\b)|\bEUCLEAN\b|\bUnhandled (?:error|sense) code\b|\bAborting journal on device\b|\bDetected IO errors while flushing\b|\bFailing path \d+:\d+\b|\bcontroller is down; will reset\b|\bUnrecovered Read Error\b|\berror: \{ ?UNC ?\}|\bhas a bad block\b|\bduring a paging operation\b|\bfile system structure on the disk is corrupt\b|\bCould not get block locations\b|\bAll datanodes \S+ are bad\b|\bEISDIR\b|\bENOTDIR\b|\bThe IO operation at logical block address\b`,
    origin: 'linux kernel (ext4/jbd2, scsi, dm-multipath, nvme, ata), windows disk events, hdfs, node/libc (EISDIR, ENOTDIR)',
    match: [
      "Event 153: The IO operation at logical block address 0x7f3c10 for Disk 2 (PDO name: \\Device\\00000031) was retried.",
      "rm: cannot remove '/data/cache/obj-4f': Structure needs cleaning",
      '[ 8123.000411] sd 0:0:1:0: [sdb] Unhandled sense code',
      '[ 8123.010112] Aborting journal on device sdb1-8.',
      '[ 8123.010200] JBD2: Detected IO errors while flushing file data on sdb1-8',
      '[ 9001.220011] device-mapper: multipath: 253:2: Failing path 8:32.',
      '[ 9100.000101] nvme nvme1: controller is down; will reset: CSTS=0x3, PCI_STATUS=0x10',
      '[ 7712.031000] ata3.00: error: { UNC }',
      'The device, \\Device\\Harddisk1\\DR1, has a bad block.',
      'java.io.IOException: All datanodes [DatanodeInfoWithStorage[10.2.0.5:9866,DS-1,DISK]] are bad. Aborting...',
      "Error: EISDIR: illegal operation on a directory, read",
    ],
    noMatch: ['[    2.100000] nvme nvme1: 8/0/0 default/read/poll queues', 'EXT4-fs (sdb1): recovery complete', 'dm-multipath: 253:2: reinstating path 8:32.'],
  },
  {
    name: 'io-more-runtimes-and-devices',
    // A read that failed or a file that is not there, as firmware, embedded RTOSes, ZFS's
    // event daemon, Haskell, OCaml and COBOL runtimes, and SCSI sense data (medium or
    // hardware error) word it.
    re: String.raw`(?i:\b(?:unable to|cannot|can't|could not|couldn't|failed to) read (?:from )?file\b)|(?i:(?:read|write|erase|flush)[^\n]*\bfailed\b[^\n\d-]*-5\b)|\bclass=io pool=|\bereport\.fs\.zfs\.io\b|\b\w+: does not exist \(No such file or directory\)|\bSys_error\("[^"\n]*: (?:No such file or directory|Is a directory|Not a directory)|\blibcob: (?:error: )?(?:file does not exist|permanent file error)\b|\bValid sense data: 0x[34] 0x|\bSense Key : Hardware Error\b`,
    origin: 'u-boot, zephyr/embedded drivers (-EIO), zfs zed, haskell base (IOError), ocaml stdlib, gnucobol libcob, vmware esxi vmkernel, linux scsi',
    match: [
      '** Unable to read file /boot/uImage-5.10 **',
      '[00:00:12.880,000] <err> flash_stm32: flash write at 0x08040000 failed: -5',
      'E (3321) sdmmc_req: sector read failed with error -5',
      'Dec 02 03:11:40 nas2 zed[1830]: eid=44 class=io pool=\'backup\' vdev=scsi-35000c500a1b2c3d4-part1 size=131072 offset=412 err=5',
      'indexer: /srv/idx/segments.db: openFile: does not exist (No such file or directory)',
      'Fatal error: exception Sys_error("/var/run/sensord/last.csv: No such file or directory")',
      "libcob: error: permanent file error (status = 30) for file PAYROLL ('/batch/pay/PAYMAST.DAT') on READ",
      'cpu3:2100412)ScsiDeviceIO: 4325: Cmd(0x45d8a0c1e2f0) 0x2a, CmdSN 0x88 from world 2100400 to dev "naa.5000c500a1b2c3d4" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x4 0x44 0x0',
      '[ 5512.100300] sd 3:0:0:0: [sdd] tag#4 Sense Key : Hardware Error [current]',
    ],
    noMatch: [
      'read 412 files from /boot (uImage-5.10 ok)',
      '[00:00:12.880,000] <inf> flash_stm32: flash write at 0x08040000 done',
      'zed[1830]: eid=45 class=config_sync pool=\'backup\'',
      'cpu3:2100412)ScsiDeviceIO: 4325: Cmd(0x45d8a0c1e2f0) 0x85, CmdSN 0x88 from world 2100400 to dev "naa.5000c500a1b2c3d4" failed H:0x0 D:0x2 P:0x0 Valid sense data: 0x5 0x20 0x0',
      'flash write stats: failed 0, offset -5',
      HEALTHY.zeroErrors,
    ],
  },
  {
    name: 'db-block-io',
    re: String.raw`\bORA-011(?:10|14|15)\b|(?i:\bIO error (?:reading|writing) (?:block|file)\b)`,
    origin: 'oracle',
    match: [
      'ORA-01115: IO error reading block from file 7 (block # 812)',
      'ORA-01114: IO error writing block to file 201 (block # 4410)',
    ],
    noMatch: ['datafile 7 online'],
  },
]);
