/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.sbi;

import java.util.List;

import io.hvdbg.core.Vcpu;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.riscv.RiscvVcpu;
import io.hvdbg.riscv.cpu.Hart;

/**
 * The SBI implementation of the hypervisor, as KVM's vcpu_sbi*.c: a VS-mode ecall is a VM exit;
 * a7 names the extension, a6 the function, a0-a5 are arguments; the result goes to a0 (error)
 * and a1 (value), and the guest goes on after the ecall. One handler per extension, found in a
 * small table by extension id as in KVM (the exit handler table already dispatched on the exit
 * reason).
 */
public final class Sbi {
    private Sbi() {
    }

    public static final long EXT_LEGACY_SET_TIMER = 0x00;
    public static final long EXT_LEGACY_PUTCHAR = 0x01;
    public static final long EXT_LEGACY_GETCHAR = 0x02;
    public static final long EXT_LEGACY_SHUTDOWN = 0x08;
    public static final long EXT_BASE = 0x10;
    public static final long EXT_TIME = 0x54494D45L;
    public static final long EXT_IPI = 0x735049L;
    public static final long EXT_RFENCE = 0x52464E43L;
    public static final long EXT_HSM = 0x48534DL;
    public static final long EXT_SRST = 0x53525354L;
    public static final long EXT_DBCN = 0x4442434EL;
    public static final long EXT_SUSP = 0x53555350L;

    public static final long SUCCESS = 0;
    public static final long ERR_FAILED = -1;
    public static final long ERR_NOT_SUPPORTED = -2;
    public static final long ERR_INVALID_PARAM = -3;
    public static final long ERR_DENIED = -4;
    public static final long ERR_INVALID_ADDRESS = -5;
    public static final long ERR_ALREADY_AVAILABLE = -6;

    /** SBI specification 2.0; implementation id 3 = KVM. */
    public static final long SPEC_VERSION = 2L << 24;
    public static final long IMPL_ID_KVM = 3;

    /** One SBI extension: its id range and its handler (KVM's struct kvm_vcpu_sbi_extension). */
    private interface Handler {
        /**
         * Handles function {@code fid}; stores error and value in {@code ret}. Returns an exit
         * handler result to return at once (the handler set the pc and registers itself), or
         * {@link #STORE_RESULT} to store {@code ret} into a0/a1 and go on after the ecall.
         */
        int call(RiscvVcpu v, long fid, long[] x, long[] ret);
    }

    private record Extension(long first, long last, String name, Handler handler) {
    }

    private static final int STORE_RESULT = -1;

    /** The extensions, searched in order like KVM's sbi_ext[] table. */
    private static final Extension[] TABLE = {
        new Extension(EXT_BASE, EXT_BASE, "BASE", (v, fid, x, ret) -> base(fid, x[10], ret)),
        new Extension(EXT_TIME, EXT_TIME, "TIME", Sbi::time),
        new Extension(EXT_IPI, EXT_IPI, "IPI", Sbi::ipi),
        new Extension(EXT_RFENCE, EXT_RFENCE, "RFENCE", Sbi::rfence),
        new Extension(EXT_HSM, EXT_HSM, "HSM", Sbi::hsm),
        new Extension(EXT_SRST, EXT_SRST, "SRST", Sbi::systemReset),
        new Extension(EXT_DBCN, EXT_DBCN, "DBCN", Sbi::dbcn),
        new Extension(EXT_SUSP, EXT_SUSP, "SUSP", Sbi::suspend),
    };

    /** Handles the VS ecall the vCPU exited on. */
    public static int handle(RiscvVcpu v) {
        Hart h = v.hart();
        long[] x = h.x;
        long ext = x[17];
        long fid = x[16];
        long pcAfter = h.pc + 4;
        // Legacy extensions (0x00-0x0F) return one value in a0 and leave a1 alone.
        if (ext < 0x10 && ext >= 0) {
            h.pc = pcAfter;
            return legacy(v, ext);
        }
        long[] ret = {ERR_NOT_SUPPORTED, 0};
        for (Extension e : TABLE) {
            if (ext >= e.first() && ext <= e.last()) {
                int r = e.handler().call(v, fid, x, ret);
                if (r != STORE_RESULT) {
                    return r;
                }
                break;
            }
        }
        x[10] = ret[0];
        if (ret[0] == SUCCESS || ext == EXT_BASE) {
            x[11] = ret[1];
        }
        if (h.pc == v.currentExit().pc) {
            h.pc = pcAfter;
        }
        return ExitHandler.RESUME;
    }

    private static boolean known(long ext) {
        if (ext >= 0 && ext <= 0x08 && ext != 0x03 && ext != 0x04 && ext != 0x05 && ext != 0x06 && ext != 0x07) {
            return true; // legacy set_timer, putchar, getchar, shutdown
        }
        for (Extension e : TABLE) {
            if (ext >= e.first() && ext <= e.last()) {
                return true;
            }
        }
        return false;
    }

    private static int time(RiscvVcpu v, long fid, long[] x, long[] ret) {
        if (fid == 0) {
            v.setTimer(x[10]);
            ret[0] = SUCCESS;
        }
        return STORE_RESULT;
    }

    private static int ipi(RiscvVcpu v, long fid, long[] x, long[] ret) {
        if (fid == 0) {
            ret[0] = forHarts(v, x[10], x[11], t -> t.kickSoftwareInterrupt());
        }
        return STORE_RESULT;
    }

    private static int legacy(RiscvVcpu v, long ext) {
        long[] x = v.hart().x;
        switch ((int) ext) {
            case 0x00 -> {
                v.setTimer(x[10]);
                x[10] = 0;
            }
            case 0x01 -> {
                v.vm().console().write((int) x[10]);
                x[10] = 0;
            }
            case 0x02 -> x[10] = v.vm().console().pollInput();
            case 0x08 -> {
                v.vm().shutdown(v.index(), 0, "the guest shut down (legacy SBI shutdown)");
                return ExitHandler.EXIT_TO_USER;
            }
            default -> x[10] = ERR_NOT_SUPPORTED;
        }
        return ExitHandler.RESUME;
    }

    private static int base(long fid, long a0, long[] ret) {
        ret[0] = SUCCESS;
        switch ((int) fid) {
            case 0 -> ret[1] = SPEC_VERSION;
            case 1 -> ret[1] = IMPL_ID_KVM;
            case 2 -> ret[1] = 0x10000; // implementation version
            case 3 -> ret[1] = known(a0) ? 1 : 0;
            case 4, 5, 6 -> ret[1] = 0; // mvendorid, marchid, mimpid
            default -> ret[0] = ERR_NOT_SUPPORTED;
        }
        return STORE_RESULT;
    }

    private interface HartAction {
        void apply(RiscvVcpu target);
    }

    /** Applies an action to the harts of an SBI hart mask (base -1 = all harts). */
    private static long forHarts(RiscvVcpu v, long mask, long base, HartAction action) {
        List<Vcpu> all = v.vm().vcpus();
        if (base == -1L) {
            for (Vcpu t : all) {
                action.apply((RiscvVcpu) t);
            }
            return SUCCESS;
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                long id = base + bit;
                if (id < 0 || id >= all.size()) {
                    return ERR_INVALID_PARAM;
                }
            }
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                action.apply((RiscvVcpu) all.get((int) (base + bit)));
            }
        }
        return SUCCESS;
    }

    private static int rfence(RiscvVcpu v, long fid, long[] x, long[] ret) {
        long start = x[12];
        long size = x[13];
        switch ((int) fid) {
            case 0 -> ret[0] = forHarts(v, x[10], x[11], t -> t.interpreter().flushMicroTlb());
            case 1 -> ret[0] = forHarts(v, x[10], x[11], t -> t.remoteFence("sbi remote_sfence_vma", start, size, -1));
            case 2 -> {
                int asid = (int) x[14] & 0xFFFF;
                ret[0] = forHarts(v, x[10], x[11], t -> t.remoteFence("sbi remote_sfence_vma_asid", start, size, asid));
            }
            default -> ret[0] = ERR_NOT_SUPPORTED; // the hfence variants need the H extension in the guest
        }
        return STORE_RESULT;
    }

    private static int hsm(RiscvVcpu v, long fid, long[] x, long[] ret) {
        long pcAfter = v.hart().pc + 4;
        List<Vcpu> all = v.vm().vcpus();
        switch ((int) fid) {
            case 0 -> {
                long id = x[10];
                if (id < 0 || id >= all.size()) {
                    ret[0] = ERR_INVALID_PARAM;
                } else {
                    RiscvVcpu t = (RiscvVcpu) all.get((int) id);
                    if (t.state() != VcpuState.STOPPED) {
                        ret[0] = ERR_ALREADY_AVAILABLE;
                    } else if (!v.machine().isRam(x[11])) {
                        ret[0] = ERR_INVALID_ADDRESS;
                    } else {
                        t.hsmStart(x[11], x[12]);
                        ret[0] = SUCCESS;
                    }
                }
            }
            case 1 -> {
                v.hart().pc = pcAfter;
                v.hsmStop();
                return ExitHandler.RESUME;
            }
            case 2 -> {
                long id = x[10];
                if (id < 0 || id >= all.size()) {
                    ret[0] = ERR_INVALID_PARAM;
                } else {
                    ret[0] = SUCCESS;
                    ret[1] = ((RiscvVcpu) all.get((int) id)).hsmState();
                }
            }
            case 3 -> {
                long type = x[10] & 0xFFFF_FFFFL;
                boolean retentive = type == 0;
                if (type != 0 && type != 0x80000000L) {
                    ret[0] = ERR_INVALID_PARAM;
                } else if (!retentive && !v.machine().isRam(x[11])) {
                    ret[0] = ERR_INVALID_ADDRESS;
                } else {
                    x[10] = SUCCESS;
                    v.hart().pc = pcAfter;
                    v.hsmSuspend(retentive, x[11], x[12]);
                    return ExitHandler.RESUME;
                }
            }
            default -> ret[0] = ERR_NOT_SUPPORTED;
        }
        return STORE_RESULT;
    }

    private static int systemReset(RiscvVcpu v, long fid, long[] x, long[] ret) {
        if (fid != 0) {
            return STORE_RESULT;
        }
        long pcAfter = v.hart().pc + 4;
        long t = x[10] & 0xFFFF_FFFFL;
        long r = x[11] & 0xFFFF_FFFFL;
        if (t > 2 || r > 1) {
            v.hart().x[10] = ERR_INVALID_PARAM;
            v.hart().pc = pcAfter;
            return ExitHandler.RESUME;
        }
        int status = r == 1 ? 1 : 0;
        String what = t == 0 ? "shutdown" : t == 1 ? "cold reboot" : "warm reboot";
        v.vm().shutdown(v.index(), status, "the guest requested a system " + what + " through SBI SRST"
                + (r == 1 ? " (reason: system failure)" : ""));
        return ExitHandler.EXIT_TO_USER;
    }

    private static int dbcn(RiscvVcpu v, long fid, long[] x, long[] ret) {
        switch ((int) fid) {
            case 0 -> {
                long n = x[10];
                long addr = x[11];
                if (x[12] != 0 || n < 0) {
                    ret[0] = ERR_INVALID_PARAM;
                    return STORE_RESULT;
                }
                int len = (int) Math.min(n, 4096);
                byte[] buf = new byte[len];
                int got = v.vm().memory().read(addr, buf, 0, len);
                if (got < len && got == 0 && len > 0) {
                    ret[0] = ERR_INVALID_PARAM;
                    return STORE_RESULT;
                }
                for (int i = 0; i < got; i++) {
                    v.vm().console().write(buf[i]);
                }
                ret[0] = SUCCESS;
                ret[1] = got;
            }
            case 1 -> {
                long n = x[10];
                long addr = x[11];
                if (x[12] != 0 || n < 0) {
                    ret[0] = ERR_INVALID_PARAM;
                    return STORE_RESULT;
                }
                int count = 0;
                byte[] one = new byte[1];
                while (count < n) {
                    int c = v.vm().console().pollInput();
                    if (c < 0) {
                        break;
                    }
                    one[0] = (byte) c;
                    if (v.vm().memory().write(addr + count, one, 0, 1) != 1) {
                        break;
                    }
                    count++;
                }
                ret[0] = SUCCESS;
                ret[1] = count;
            }
            case 2 -> {
                v.vm().console().write((int) x[10]);
                ret[0] = SUCCESS;
            }
            default -> ret[0] = ERR_NOT_SUPPORTED;
        }
        return STORE_RESULT;
    }

    private static int suspend(RiscvVcpu v, long fid, long[] x, long[] ret) {
        if (fid != 0) {
            return STORE_RESULT;
        }
        long type = x[10] & 0xFFFF_FFFFL;
        if (type != 0) {
            ret[0] = ERR_INVALID_PARAM;
            return STORE_RESULT;
        }
        for (Vcpu t : v.vm().vcpus()) {
            if (t != v && t.state() != VcpuState.STOPPED) {
                ret[0] = ERR_DENIED; // every other hart must be stopped first
                return STORE_RESULT;
            }
        }
        if (!v.machine().isRam(x[11])) {
            ret[0] = ERR_INVALID_ADDRESS;
            return STORE_RESULT;
        }
        ret[0] = SUCCESS;
        v.hsmSuspend(false, x[11], x[12]);
        return STORE_RESULT;
    }
}
