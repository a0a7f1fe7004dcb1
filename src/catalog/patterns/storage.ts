// Storage: a full disk (DiskSpace) and failing devices, filesystems or missing files
// (IOError), as libc, the kernel block layer, filesystems, databases and runtimes say it.

import { HEALTHY, patternsOf } from './define.js';

export const DISK_SPACE = patternsOf('DiskSpace', [
  {
    name: 'enospc',
    re: String.raw`(?i:\bno space left on device\b)|\bENOSPC\b`,
    origin: 'libc strerror(ENOSPC): every runtime',
    match: [
      "OSError: [Errno 28] No space left on device: '/var/cache/app/tmp/frame_00042.png'",
      'Error: ENOSPC: no space left on device, write',
      'write /var/lib/app/wal/000123.log: no space left on device',
      '2024/06/02 10:20:00 [crit] 2231#2231: *88160 pwrite() "/var/cache/nginx/client_temp/0000000042" failed (28: No space left on device)',
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
  },
]);
