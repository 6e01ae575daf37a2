#include "semihost.h"

#include <stdint.h>

static int call(int op, void* arg) {
  register int r0 __asm__("r0") = op;
  register void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static int length(const char* s) {
  int n = 0;
  while (s[n]) ++n;
  return n;
}

int semihost_open(const char* path, int mode) {
  uintptr_t args[3] = {(uintptr_t)path, (uintptr_t)mode, (uintptr_t)length(path)};
  return call(0x01, args);
}

int semihost_read(int handle, void* buffer, int bytes) {
  uintptr_t args[3] = {(uintptr_t)handle, (uintptr_t)buffer, (uintptr_t)bytes};
  return bytes - call(0x06, args); /* the call returns the bytes NOT read */
}

int semihost_write(int handle, const void* buffer, int bytes) {
  uintptr_t args[3] = {(uintptr_t)handle, (uintptr_t)buffer, (uintptr_t)bytes};
  return bytes - call(0x05, args);
}

void semihost_close(int handle) {
  uintptr_t args[1] = {(uintptr_t)handle};
  call(0x02, args);
}

void semihost_print(const char* text) { call(0x04, (void*)text); }

void semihost_exit(int status) {
  /* ADP_Stopped_ApplicationExit makes QEMU exit 0; RunTimeErrorUnknown exits 1. */
  call(0x18, (void*)(uintptr_t)(status == 0 ? 0x20026 : 0x20023));
  for (;;) {
  }
}
