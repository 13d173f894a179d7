/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 *
 * CPU-bound guest for guest-MIPS figures (hvdbg bench, and the same file under QEMU TCG):
 * integer hashing, a sieve and a small matrix product, with no exits in the loop; ROUNDS
 * rounds of about 2.1 million instructions each (40 by default, "rounds=N" on the kernel
 * command line, i.e. the FDT's /chosen/bootargs), then the checksum and SBI SRST.
 */
#include "guest.h"

#define N 64
static u64 a[N * N], b[N * N], c[N * N];
static u8 sieve[65536];

static u64 work(u64 seed)
{
    u64 h = seed;
    for (int i = 0; i < 20000; i++) {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        h += (u64)i * 0x9e3779b97f4a7c15UL;
    }
    for (int i = 2; i < 65536; i++)
        sieve[i] = 1;
    for (int i = 2; i * i < 65536; i++)
        if (sieve[i])
            for (int j = i * i; j < 65536; j += i)
                sieve[j] = 0;
    u64 primes = 0;
    for (int i = 2; i < 65536; i++)
        primes += sieve[i];
    for (int i = 0; i < N * N; i++) {
        a[i] = h + i;
        b[i] = i ^ seed;
    }
    for (int i = 0; i < N; i += 2)
        for (int j = 0; j < N; j++) {
            u64 s = 0;
            for (int k = 0; k < N; k++)
                s += a[i * N + k] * b[k * N + j];
            c[i * N + j] = s;
        }
    u64 sum = primes;
    for (int i = 0; i < N * N; i++)
        sum += c[i];
    return sum ^ h;
}

static u32 be32(const u8 *p)
{
    return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* "rounds=N" anywhere in the FDT (only bootargs holds such text); 40 without one. */
static u32 parse_rounds(const u8 *fdt)
{
    static const char key[] = "rounds=";
    if (!fdt || be32(fdt) != 0xd00dfeed)
        return 40;
    u32 total = be32(fdt + 4);
    for (u32 i = 0; i + sizeof(key) <= total; i++) {
        u32 k = 0;
        while (k < sizeof(key) - 1 && fdt[i + k] == (u8)key[k])
            k++;
        if (k == sizeof(key) - 1) {
            u32 n = 0;
            for (const u8 *d = fdt + i + k; *d >= '0' && *d <= '9'; d++)
                n = n * 10 + (*d - '0');
            return n;
        }
    }
    return 40;
}

int main(u64 hartid, const u8 *fdt)
{
    (void)hartid;
    u32 rounds = parse_rounds(fdt);
    u64 sum = 0;
    for (u32 round = 0; round < rounds; round++)
        sum += work(round + 1);
    print("bench checksum ", sum);
    return 0;
}
