import type { Template } from '../domain/resources.js'

interface Official {
  readonly id: string
  readonly name: string
  readonly imageName: string
  readonly category?: 'NVIDIA' | 'AMD' | 'CPU'
  readonly ports?: readonly string[]
  readonly containerDiskInGb: number
  readonly volumeInGb: number
  readonly env?: Record<string, string>
  readonly dockerStartCmd?: readonly string[]
  readonly isServerless?: boolean
  readonly readme: string
}

const JUPYTER = ['8888/http', '22/tcp']

/** The official templates every user sees with `includeRunpodTemplates=true`, as RunPod offers them. */
const OFFICIAL: readonly Official[] = [
  {
    id: 'runpod-torch-v240',
    name: 'Runpod Pytorch 2.4.0',
    imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
    ports: JUPYTER,
    containerDiskInGb: 20,
    volumeInGb: 50,
    env: { JUPYTER_PASSWORD: '' },
    readme: '# PyTorch 2.4.0\nCUDA 12.4, Python 3.11, JupyterLab on port 8888 and SSH on port 22.',
  },
  {
    id: 'runpod-torch-v280',
    name: 'Runpod Pytorch 2.8.0',
    imageName: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404',
    ports: JUPYTER,
    containerDiskInGb: 20,
    volumeInGb: 50,
    readme: '# PyTorch 2.8.0\nCUDA 12.8.1 for Blackwell GPUs, JupyterLab and SSH.',
  },
  {
    id: 'runpod-tensorflow',
    name: 'Runpod Tensorflow',
    imageName: 'runpod/tensorflow:2.15.0-py3.11-cuda12.3.2-devel-ubuntu22.04',
    ports: JUPYTER,
    containerDiskInGb: 20,
    volumeInGb: 40,
    readme: '# TensorFlow 2.15\nCUDA 12.3, JupyterLab and SSH.',
  },
  {
    id: 'runpod-rocm-torch',
    name: 'Runpod Pytorch ROCm',
    imageName: 'rocm/pytorch:rocm6.2_ubuntu22.04_py3.10_pytorch_release_2.3.0',
    category: 'AMD',
    ports: JUPYTER,
    containerDiskInGb: 40,
    volumeInGb: 50,
    readme: '# PyTorch on ROCm 6.2\nFor AMD Instinct GPUs.',
  },
  {
    id: 'runpod-comfyui',
    name: 'ComfyUI',
    imageName: 'runpod/comfyui:0.3.40-cuda12.4',
    ports: ['8188/http', '8888/http', '22/tcp'],
    containerDiskInGb: 50,
    volumeInGb: 100,
    readme: '# ComfyUI\nNode-based Stable Diffusion and Flux workflows on port 8188.',
  },
  {
    id: 'runpod-a1111',
    name: 'Stable Diffusion WebUI (A1111)',
    imageName: 'runpod/a1111:1.10.0.post7',
    ports: ['3000/http', '8888/http', '22/tcp'],
    containerDiskInGb: 30,
    volumeInGb: 75,
    readme: '# AUTOMATIC1111 Stable Diffusion WebUI on port 3000.',
  },
  {
    id: 'runpod-vllm-pod',
    name: 'vLLM OpenAI-compatible server',
    imageName: 'vllm/vllm-openai:v0.10.1',
    ports: ['8000/http', '22/tcp'],
    containerDiskInGb: 50,
    volumeInGb: 150,
    env: { HF_HOME: '/workspace/hf' },
    dockerStartCmd: ['--model', 'Qwen/Qwen3-8B', '--max-model-len', '32768'],
    readme: '# vLLM\nServes an OpenAI-compatible API on port 8000.',
  },
  {
    id: 'runpod-textgen-webui',
    name: 'Text Generation WebUI',
    imageName: 'valyriantech/text-generation-webui-oneclick:latest',
    ports: ['7860/http', '5000/http', '22/tcp'],
    containerDiskInGb: 30,
    volumeInGb: 100,
    readme: '# oobabooga text-generation-webui on port 7860, API on 5000.',
  },
  {
    id: 'runpod-jupyter-base',
    name: 'Runpod Base (Jupyter)',
    imageName: 'runpod/base:0.6.2-cuda12.4.1',
    ports: JUPYTER,
    containerDiskInGb: 10,
    volumeInGb: 20,
    readme: '# A minimal CUDA image with JupyterLab and SSH.',
  },
  {
    id: 'runpod-ubuntu-cpu',
    name: 'Runpod Ubuntu (CPU)',
    imageName: 'runpod/base:0.6.2-cpu',
    category: 'CPU',
    ports: JUPYTER,
    containerDiskInGb: 10,
    volumeInGb: 20,
    readme: '# Ubuntu 22.04 for CPU pods, with JupyterLab and SSH.',
  },
  {
    id: 'runpod-worker-vllm',
    name: 'Serverless vLLM worker',
    imageName: 'runpod/worker-v1-vllm:v2.8.0stable-cuda12.1.0',
    isServerless: true,
    containerDiskInGb: 30,
    volumeInGb: 0,
    env: { MODEL_NAME: 'Qwen/Qwen3-8B', MAX_MODEL_LEN: '32768' },
    readme: '# vLLM worker for Serverless endpoints (OpenAI-compatible).',
  },
  {
    id: 'runpod-worker-comfyui',
    name: 'Serverless ComfyUI worker',
    imageName: 'runpod/worker-comfyui:5.4.1-base',
    isServerless: true,
    containerDiskInGb: 40,
    volumeInGb: 0,
    readme: '# ComfyUI workflows as a Serverless API.',
  },
]

export function officialTemplates(): Template[] {
  return OFFICIAL.map((t) => ({
    id: t.id,
    userId: null,
    name: t.name,
    imageName: t.imageName,
    category: t.category ?? 'NVIDIA',
    containerDiskInGb: t.containerDiskInGb,
    volumeInGb: t.volumeInGb,
    volumeMountPath: '/workspace',
    ports: t.ports ?? [],
    env: t.env ?? {},
    dockerEntrypoint: [],
    dockerStartCmd: t.dockerStartCmd ?? [],
    readme: t.readme,
    isPublic: true,
    isRunpod: true,
    isServerless: t.isServerless ?? false,
    containerRegistryAuthId: null,
    startSsh: true,
    startJupyter: true,
    allowedCudaVersions: [],
    earned: 0,
    runtimeInMin: 0,
    createdAt: Date.parse('2025-01-01T00:00:00Z'),
  }))
}
