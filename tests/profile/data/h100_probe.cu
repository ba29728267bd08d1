#include <cstdio>
#include <nvtx3/nvToolsExt.h>
__global__ void scale_add(const float* __restrict__ a, const float* __restrict__ b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = 2.0f * a[i] + b[i];
}
int main() {
  const int n = 1 << 22;
  float *a, *b, *c;
  cudaMalloc(&a, n * 4); cudaMalloc(&b, n * 4); cudaMalloc(&c, n * 4);
  cudaMemset(a, 0, n * 4); cudaMemset(b, 0, n * 4);
  nvtxRangePushA("resnet18");
  nvtxRangePushA("conv1, \"quoted\"");
  scale_add<<<n / 256, 256>>>(a, b, c, n);
  nvtxRangePop();
  nvtxRangePushA("layer1.0.conv1");
  scale_add<<<n / 256, 256>>>(c, b, a, n);
  nvtxRangePop();
  nvtxRangePop();
  scale_add<<<n / 256, 256>>>(a, c, b, n);
  cudaDeviceSynchronize();
  printf("done\n");
  return 0;
}
