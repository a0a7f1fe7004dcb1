// GPU failures other than running out of GPU memory (that is OutOfMemory, by precedence):
// CUDA runtime/driver errors, cuBLAS/cuDNN status codes, NCCL, NVIDIA kernel Xid events,
// NVML/nvidia-smi, container GPU plumbing, AMD ROCm/amdgpu.

import { HEALTHY, patternsOf } from './define.js';

export const GPU_ERROR = patternsOf('GPUError', [
  {
    name: 'cuda-error',
    re: String.raw`\bCUDA error\b|\bcudaError[A-Z]\w*|\bCUDA_ERROR_[A-Z_]+|\bCUDA unknown error\b`,
    origin: 'pytorch, cuda runtime/driver',
    match: [
      'RuntimeError: CUDA error: an illegal memory access was encountered',
      'RuntimeError: CUDA error: device-side assert triggered',
      'cuCtxCreate failed: CUDA_ERROR_NO_DEVICE',
      'UserWarning: CUDA initialization: CUDA unknown error - this may be due to an incorrectly set up environment',
    ],
    noMatch: ['CUDA available: True (device count 4)', 'cuda_errors_total 0', 'CUDA errors: none'],
  },
  {
    name: 'cuda-runtime-messages',
    re: String.raw`illegal memory access was encountered|an illegal instruction was encountered|unspecified launch failure|device-side assert triggered|failed call to cuInit|Insufficient nvidia\.com/gpu|\bDistBackendError\b|\bHSA_STATUS_ERROR_\w+|no kernel image is available for execution|(?i:no CUDA-capable device is detected)|CUDA driver version is insufficient|CUDA driver initialization failed|\bNo CUDA GPUs are available\b|CUDA kernel errors might be asynchronously reported`,
    origin: 'cuda runtime (as quoted by frameworks and NCCL)',
    match: [
      "RuntimeError: No CUDA GPUs are available",
      "gpu-node-7:3318:3402 [2] NCCL WARN Cuda failure 'an illegal memory access was encountered'",
      'RuntimeError: CUDA driver initialization failed, you might not have a CUDA gpu.',
      'cudaGetDeviceCount returned 100: no CUDA-capable device is detected',
      'RuntimeError: CUDA error: unspecified launch failure',
      'E external/xla/xla/stream_executor/cuda/cuda_driver.cc:268] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected',
      'Warning  FailedScheduling  default-scheduler  0/6 nodes are available: 6 Insufficient nvidia.com/gpu.',
      'torch.distributed.DistBackendError: [3] is setting up NCCL communicator and retrieving ncclUniqueId from [0] via c10d key-value store',
      ':0:rocdevice.cpp:2875: Callback: Queue aborting with error : HSA_STATUS_ERROR_MEMORY_APERTURE_VIOLATION: The agent attempted to access memory beyond the largest legal address. code: 0x29',
    ],
    noMatch: ['using device cuda:0 (NVIDIA A100-SXM4-80GB)'],
  },
  {
    name: 'cublas-cudnn-status',
    re: String.raw`\bCUBLAS_STATUS_(?:EXECUTION_FAILED|INTERNAL_ERROR|NOT_INITIALIZED|ARCH_MISMATCH|MAPPING_ERROR|INVALID_VALUE|NOT_SUPPORTED)\b|\bCUDNN_STATUS_(?:INTERNAL_ERROR|EXECUTION_FAILED|NOT_INITIALIZED|BAD_PARAM|MAPPING_ERROR|ARCH_MISMATCH|NOT_SUPPORTED|RUNTIME_\w+)\b|\bcuDNN error\b`,
    origin: 'cublas, cudnn (via pytorch/tensorflow)',
    match: [
      'RuntimeError: CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasSgemm( handle, opa, opb, m, n, k)`',
      'RuntimeError: cuDNN error: CUDNN_STATUS_INTERNAL_ERROR',
    ],
    noMatch: ['cublasCreate returned CUBLAS_STATUS_SUCCESS', 'torch.backends.cudnn.benchmark = True'],
  },
  {
    name: 'nccl-error',
    re: String.raw`(?i:\bNCCL error\b)|\bnccl(?:System|Internal|UnhandledCuda|InvalidUsage|InvalidArgument|Remote)Error\b|\bNCCL WARN .*(?:fail|error|abort)|Watchdog caught collective operation timeout|\bNCCL communicator was aborted\b`,
    origin: 'nccl, pytorch ProcessGroupNCCL',
    match: [
      'torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1207, unhandled system error',
      'ncclSystemError: System call (e.g. socket, malloc) or external library call failed or device error.',
      '[E ProcessGroupNCCL.cpp:475] [Rank 3] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=8812, OpType=ALLREDUCE) ran for 1800412 milliseconds before timing out.',
    ],
    noMatch: ['gpu-node-7:3318:3318 [0] NCCL INFO Bootstrap : Using eth0:10.0.0.7<0>', 'NCCL version 2.18.3+cuda12.1', 'NCCL WARN NET/IB : No device found.'],
  },
  {
    name: 'nvidia-xid',
    re: String.raw`\bNVRM: Xid \(|\bXid (?:error )?\d{1,3}\b|(?i:\bfallen off the bus\b)|(?i:\b(?:uncorrectable|uncorrected|double[- ]bit) (?:ECC|double bit|memory) errors? (?:detected|occurred|found|on)\b)|\buncorrectable (?:ECC|double bit) error\b|\bGPU is lost\b|\bUnable to determine the device handle for [Gg][Pp][Uu]|(?i:\bNVLink (?:error|errors detected|link is down|inactive)\b)|\bRow ?[Rr]emapping (?:failure|pending)\b|\bDCGM_FR_[A-Z_]+\b|(?i:\bdetected xid \d+)`,
    origin: 'linux kernel (NVIDIA driver)',
    match: [
      "dcgmi diag: DCGM_FR_SXID_ERROR: Detected SXID 20034 on NVSwitch 1",
      "nv-hostengine: Detected XID 79 for GPU 0",
      '[ 5512.118220] NVRM: Xid (PCI:0000:3b:00): 79, pid=2231, name=python3, GPU has fallen off the bus.',
      '[ 5511.004417] NVRM: Xid (PCI:0000:af:00): 31, pid=8812, name=python, Ch 00000018, intr 10000000. MMU Fault',
      'NVRM: The NVIDIA GPU 0000:b3:00.0 (PCI ID: 10de:26b5) installed in this system has fallen off the bus and is not responding to commands.',
      'Unable to determine the device handle for GPU0000:3B:00.0: GPU is lost.  Reboot the system to recover this GPU',
      'dcgm: GPU 3 health: Xid 48 reported (double-bit ECC error)',
      'gpu-healthcheck: uncorrected ECC errors detected on GPU 1 (volatile=4), draining node',
      'Unable to determine the device handle for GPU 0000:3B:00.0: Unknown Error',
      'dcgmi: GPU 2: NVLink errors detected (replay=0, recovery=14)',
    ],
    noMatch: ['NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023', 'ECC errors: corrected 0, uncorrected 0', 'Xid errors since boot: none'],
  },
  {
    name: 'nvidia-driver',
    re: String.raw`NVIDIA-SMI has failed|Failed to initialize NVML|Driver/library version mismatch|Found no NVIDIA driver|nvidia-container-cli: .*error|could not select device driver "[^"]*" with capabilities: \[\[gpu\]\]`,
    origin: 'nvidia-smi, NVML, pytorch, nvidia-container-toolkit, docker',
    match: [
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      'Failed to initialize NVML: Driver/library version mismatch',
      'RuntimeError: Found no NVIDIA driver on your system.',
      'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].',
      'nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown',
    ],
    noMatch: ['NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2'],
  },
  {
    name: 'rocm-amdgpu',
    re: String.raw`\bhipError[A-Z]\w*|\bamdgpu: GPU reset begin|\bamdgpu_job_timedout\b|\bring \w+ timeout, signaled seq|(?i:\bGPU hang\b)`,
    origin: 'rocm (HIP), linux amdgpu driver',
    match: [
      'hipErrorNoBinaryForGpu: Unable to find code object for all current devices!',
      '[ 7120.118800] amdgpu 0000:03:00.0: amdgpu: GPU reset begin!',
      '[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring gfx timeout, signaled seq=18812, emitted seq=18814',
    ],
    noMatch: ['[drm] amdgpu kernel modesetting enabled.', HEALTHY.noErrors],
  },
  {
    name: 'no-visible-device',
    // Frameworks that find no usable accelerator at start.
    re: String.raw`\bUnable to initialize backend '(?:cuda|gpu|rocm|tpu)'|(?i:\bno visible (?:GPU|CUDA|accelerator) devices?\b)|(?i:\bno (?:GPU|CUDA) devices? (?:found|available|detected)\b)`,
    origin: 'jax/xla, tensorflow, generic launchers',
    match: [
      "RuntimeError: Unable to initialize backend 'cuda': FAILED_PRECONDITION: No visible GPU devices.",
      'trainer: no CUDA devices found, refusing to start on CPU',
    ],
    noMatch: ['devices: 8 visible GPU devices (A100)', 'JAX_PLATFORMS=cpu'],
  },
  {
    name: 'graphics-device-lost',
    // Graphics APIs and engines that lost the GPU under them: Direct3D/DXGI device removed,
    // hung or reset (0x887A0005-7), Vulkan VK_ERROR_DEVICE_LOST, engines' "GPU crashed",
    // Chromium/Electron's GPU process failing or dying, OpenMP target offload failing.
    re: String.raw`\bDXGI_ERROR_DEVICE_(?:REMOVED|HUNG|RESET)\b|\b0x887[Aa]000[567]\b|\bVK_ERROR_(?:DEVICE_LOST|INITIALIZATION_FAILED|INCOMPATIBLE_DRIVER)\b|(?i:\b(?:D3D(?:1[12])?|Direct3D|GPU|Vulkan|graphics|render) device (?:was |is |being |has been )?(?:removed|lost|hung)\b)|(?i:\bGPU (?:has )?crashed\b)|\bExiting GPU process due to errors\b|\bGPU process (?:exited unexpectedly|crashed|launch failed)\b|\bGPU process isn't usable\b|\bThe GPU process has crashed\b|\bLibomptarget (?:fatal )?error\b|\bfailure of target construct while offloading is mandatory\b`,
    origin: 'direct3d/dxgi, vulkan, unreal/unity/godot, chromium/electron, llvm openmp offload',
    match: [
      'D3D12: Removing Device. DXGI_ERROR_DEVICE_REMOVED reason: DXGI_ERROR_DEVICE_HUNG',
      'Present failed with HRESULT 0x887A0005, the graphics device was removed',
      'vkWaitForFences returned VK_ERROR_DEVICE_LOST after 2 s (frame 4410)',
      'Renderer: Direct3D device lost, attempting to recreate swapchain',
      'LogVulkanRHI: Error: GPU crashed while executing command list',
      '[4412:4412:0612/081502.118:ERROR:gpu_process_host.cc(1001)] GPU process launch failed: error_code=1002',
      '[4412:4412:0612/081502.120:FATAL:gpu_data_manager_impl_private.cc(448)] GPU process isn\'t usable. Goodbye.',
      'Libomptarget error: Executing target region abort target.',
      'Libomptarget fatal error 1: failure of target construct while offloading is mandatory',
    ],
    noMatch: [
      'Renderer: Direct3D 12 device created on adapter 0 (feature level 12_1)',
      'VK_SUCCESS: vkCreateDevice on NVIDIA RTX 4090',
      'GPU process started (pid 4470), hardware acceleration enabled',
      'Libomptarget: device 0 initialised (offload mode: default)',
    ],
  },
]);
