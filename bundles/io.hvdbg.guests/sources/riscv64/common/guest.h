/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * Minimal runtime of the riscv64 test guests: SBI calls, UART output, checks.
 */
#ifndef GUEST_H
#define GUEST_H

typedef unsigned long u64;
typedef long s64;
typedef unsigned int u32;
typedef int s32;
typedef unsigned short u16;
typedef unsigned char u8;

struct sbiret { long error; long value; };

struct frame {
    u64 sepc;
    u64 x[31]; /* x1..x31 at x[0..30]; x[n-1] is register n */
    u64 pad;
};

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E

#define UART0 ((volatile u8 *)0x10000000UL)

#define csr_read(csr) ({ u64 __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ u64 __v = (u64)(val); __asm__ volatile("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ u64 __v = (u64)(val); __asm__ volatile("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ u64 __v = (u64)(val); __asm__ volatile("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2, long a3);
void putc(char c);
void puts(const char *s);
void put_hex(u64 v);
void put_dec(s64 v);
void print(const char *label, u64 hex);
void check(int ok, const char *what);
int failures(void);
void guest_exit(int status) __attribute__((noreturn));
void sbi_hart_stop(void);
void sbi_set_timer(u64 ticks);
static inline u64 rdtime(void) { return csr_read(time); }

/* Trap hook: a test sets it to see exceptions and interrupts; return nonzero if handled. */
extern int (*trap_hook)(struct frame *f, u64 scause, u64 stval);
extern volatile u64 last_scause, last_stval, trap_count;

#endif
