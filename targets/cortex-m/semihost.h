/* ARM semihosting (bkpt 0xAB) as QEMU implements it: files on the host, text
 * output, and the exit status. */
#ifndef MCUNET_SEMIHOST_H_
#define MCUNET_SEMIHOST_H_

int semihost_open(const char* path, int mode);          /* mode 1 = "rb", 5 = "wb"; -1 on error */
int semihost_read(int handle, void* buffer, int bytes); /* bytes read */
int semihost_write(int handle, const void* buffer, int bytes); /* bytes written */
void semihost_close(int handle);
void semihost_print(const char* text);
void semihost_exit(int status) __attribute__((noreturn)); /* 0: success */

#endif
