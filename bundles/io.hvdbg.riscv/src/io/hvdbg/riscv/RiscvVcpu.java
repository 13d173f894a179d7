/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.Vcpu;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.exit.ExitHandler;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.exit.ExitInfo;
import io.hvdbg.core.exit.ExitReason;
import io.hvdbg.core.vcpu.RegisterDescriptor;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.riscv.cpu.Csr;
import io.hvdbg.riscv.cpu.Hart;
import io.hvdbg.riscv.cpu.HartHost;
import io.hvdbg.riscv.cpu.Interpreter;
import io.hvdbg.riscv.cpu.IsaConfig;
import io.hvdbg.riscv.cpu.IsaExtension;
import io.hvdbg.riscv.cpu.Timebase;
import io.hvdbg.riscv.cpu.Trap;
import io.hvdbg.riscv.exit.RiscvExits;
import io.hvdbg.riscv.mmu.GStage;
import io.hvdbg.riscv.mmu.RiscvTlb;
import io.hvdbg.riscv.mmu.Translator;
import io.hvdbg.riscv.sbi.Sbi;

/**
 * One RISC-V vCPU: a hart running the guest with V=1 and the hypervisor's side of it (what KVM's
 * struct kvm_vcpu_arch and vcpu_exit.c hold): the exit handler table, SBI state (HSM, timer),
 * per-vCPU ISA configuration and TLB.
 */
public final class RiscvVcpu extends Vcpu implements HartHost {
    /** gdb's number for the virtual {@code priv} register (65 + 0x1000). */
    public static final int REG_PRIV = 65 + 0x1000;
    public static final int REG_PC = 32;
    public static final int REG_F0 = 33;

    private static final ExitHandlerTable<RiscvVcpu> HANDLERS = new ExitHandlerTable<RiscvVcpu>(RiscvVcpu::redirect)
            .on(RiscvExits.VS_ECALL, (v, e) -> Sbi.handle(v))
            .on(RiscvExits.LOAD_GUEST_PAGE_FAULT, MmioEmulation::load)
            .on(RiscvExits.STORE_GUEST_PAGE_FAULT, MmioEmulation::store)
            .on(RiscvExits.FETCH_GUEST_PAGE_FAULT, RiscvVcpu::fetchFault)
            .on(RiscvExits.VIRTUAL_INSTRUCTION, RiscvVcpu::virtualInstruction)
            .on(RiscvExits.WFI, RiscvVcpu::virtualInstruction)
            .on(RiscvExits.SOFTWARE_INTERRUPT, (v, e) -> {
                v.hart.hvip |= 1L << Csr.IRQ_VS_SOFT;
                return ExitHandler.RESUME;
            })
            .on(RiscvExits.TIMER_INTERRUPT, (v, e) -> {
                v.hart.hvip |= 1L << Csr.IRQ_VS_TIMER;
                return ExitHandler.RESUME;
            })
            .on(RiscvExits.EXTERNAL_INTERRUPT, (v, e) -> ExitHandler.RESUME);

    private final RiscvMachine machine;
    private final Hart hart = new Hart();
    private final IsaConfig isa;
    private final RiscvTlb tlb;
    private final Translator translator;
    private final Interpreter interp;
    private final List<RegisterDescriptor> registers;
    private boolean suspended;
    private long resumeAddress = -1;
    private long resumeOpaque;

    RiscvVcpu(RiscvMachine machine, int index, IsaConfig isa, GStage gstage) {
        super(machine, index);
        RiscvExits.init();
        this.machine = machine;
        this.isa = isa;
        this.tlb = new RiscvTlb(index, isa.has(IsaExtension.SVVPTC));
        this.translator = new Translator(hart, machine.memory(), gstage, tlb);
        this.interp = new Interpreter(hart, translator, machine.codePages(),
                machine.codePages().cacheFor(isa.mask()), this, machine.watchpoints());
        // What KVM programs before the first run (kvm_riscv_vcpu_setup_config).
        hart.hgatp = gstage.hgatp();
        hart.hcounteren = isa.has(IsaExtension.ZICNTR) ? 0x7 : 0;
        hart.henvcfg = isa.has(IsaExtension.SSTC) ? Csr.ENVCFG_STCE : 0;
        this.registers = buildRegisters();
    }

    public Hart hart() {
        return hart;
    }

    public Interpreter interpreter() {
        return interp;
    }

    public IsaConfig isa() {
        return isa;
    }

    public RiscvTlb tlb() {
        return tlb;
    }

    public RiscvMachine machine() {
        return machine;
    }

    /** Boot state: VS-mode at entry with a0 = hart id, a1 = opaque (the FDT address on the boot hart). */
    public void reset(long entry, long a0, long a1) {
        hart.reset(entry, a0, a1);
        if (!isa.has(IsaExtension.F)) {
            hart.vsstatus &= ~Csr.SSTATUS_FS;
        }
        interp.flushMicroTlb();
        interp.hostTimerNs = Long.MAX_VALUE;
        suspended = false;
    }

    // ---- execution -------------------------------------------------------------------------

    @Override
    protected void execute(long budget) {
        interp.timeNs = time;
        if (state() == VcpuState.STOPPED) {
            return;
        }
        if (state() == VcpuState.HALTED) {
            if (!interp.wakeupPending() && interp.hostPending == 0 && time < interp.hostTimerNs) {
                return;
            }
            setState(VcpuState.RUNNABLE);
            if (suspended) {
                wakeFromSuspend();
            }
        }
        interp.debugging = vm.breakpoints().isActive() || vm.watchpoints().isActive();
        long before = interp.timeNs;
        interp.run(budget);
        instructions += interp.timeNs - before;
        time = interp.timeNs;
    }

    private void wakeFromSuspend() {
        suspended = false;
        if (resumeAddress != -1) {
            // Non-retentive suspend: the hart resumes like a fresh HSM start.
            long a = resumeAddress;
            resumeAddress = -1;
            reset(a, index, resumeOpaque);
        }
    }

    @Override
    protected long nextEventTime() {
        return Math.min(interp.hostTimerNs, interp.guestTimerNs());
    }

    @Override
    protected int handleExit(ExitInfo exit) {
        return HANDLERS.dispatch(this, exit);
    }

    // ---- HartHost --------------------------------------------------------------------------

    @Override
    public boolean trapToHypervisor(long scause, long stval, long htval, long htinst, long context, int insnLength) {
        ExitReason r = scause == Trap.VIRTUAL_INSN && stval == 0x10500073L ? RiscvExits.WFI : RiscvExits.forCause(scause);
        if (r == null) {
            r = RiscvExits.ILLEGAL_INSTRUCTION;
        }
        time = interp.timeNs;
        exit.set(r, stval, htinst, context, hart.pc, insnLength, time);
        return vmExit();
    }

    @Override
    public boolean breakpointAt(long pc) {
        return checkBreakpoint(pc);
    }

    @Override
    public void retiredWhileDebugging() {
        instructionRetiredWhileDebugging();
    }

    @Override
    public void watchpointHit(Watchpoint w, long va) {
        vm.stopAtWatchpoint(this, w, va);
    }

    @Override
    public boolean stopRequested() {
        return vm.stopRequested();
    }

    @Override
    public void guestStuck(String message) {
        vm.fail(index, message);
    }

    @Override
    public boolean runnable() {
        return state() == VcpuState.RUNNABLE;
    }

    // ---- exit handlers ---------------------------------------------------------------------

    /** Completes the exiting instruction: the guest goes on after it. */
    void skipInstruction(ExitInfo e) {
        hart.pc = e.pc + (e.instructionLength == 0 ? 4 : e.instructionLength);
    }

    /** KVM's kvm_riscv_vcpu_trap_redirect: the guest takes the trap as if delegated. */
    private static int redirect(RiscvVcpu v, ExitInfo e) {
        long cause = e.reason.code();
        if (cause < 0 || cause >= 16) {
            v.vm.fail(v.index, "unexpected trap to the hypervisor: " + e.reason.name());
            return ExitHandler.EXIT_TO_USER;
        }
        v.hart.pc = e.pc;
        v.interp.redirectTrap((int) cause, e.qualification);
        return ExitHandler.RESUME;
    }

    private static int fetchFault(RiscvVcpu v, ExitInfo e) {
        v.vm.fail(v.index, String.format("the guest fetched an instruction at 0x%x (guest-physical 0x%x), which is not RAM",
                e.qualification, e.context));
        return ExitHandler.EXIT_TO_USER;
    }

    private static int virtualInstruction(RiscvVcpu v, ExitInfo e) {
        if (e.qualification == 0x10500073L) {
            v.skipInstruction(e);
            if (!v.interp.wakeupPending()) {
                v.setState(VcpuState.HALTED);
            }
            return ExitHandler.RESUME;
        }
        // Nothing else is emulated (KVM's CSR table here has no entries for these): illegal in the guest.
        v.hart.pc = e.pc;
        v.interp.redirectTrap(Trap.ILLEGAL_INSN, e.qualification);
        return ExitHandler.RESUME;
    }

    // ---- SBI support -----------------------------------------------------------------------

    /** SBI set_timer: the next timer interrupt at {@code ticks} of the guest's time; clears a pending one. */
    public void setTimer(long ticks) {
        hart.hvip &= ~(1L << Csr.IRQ_VS_TIMER);
        long t = ticks - hart.htimedelta;
        interp.hostTimerNs = ticks == -1L || t < 0 && ticks < 0 ? Long.MAX_VALUE : Timebase.deadlineNs(Math.max(0, t));
    }

    /** Another vCPU sends this one an IPI: a host software interrupt, taken as an exit, then VSSIP. */
    public void kickSoftwareInterrupt() {
        interp.hostPending |= 1 << 1;
        if (state() == VcpuState.HALTED) {
            setState(VcpuState.RUNNABLE);
            if (suspended) {
                wakeFromSuspend();
            }
        }
    }

    /** Raises or lowers the external interrupt (VSEIP) the PLIC drives for this hart. */
    public void setExternalInterrupt(boolean level) {
        if (level) {
            hart.hvip |= 1L << Csr.IRQ_VS_EXT;
            if (state() == VcpuState.HALTED && (hart.hie & (1L << Csr.IRQ_VS_EXT)) != 0) {
                setState(VcpuState.RUNNABLE);
                if (suspended) {
                    wakeFromSuspend();
                }
            }
        } else {
            hart.hvip &= ~(1L << Csr.IRQ_VS_EXT);
        }
    }

    /** HSM state as sbi_hart_get_status reports it. */
    public int hsmState() {
        if (state() == VcpuState.STOPPED) {
            return 1;
        }
        return suspended ? 4 : 0;
    }

    /** HSM hart_start: the stopped hart begins at {@code pc} with a0 = hart id, a1 = opaque. */
    public void hsmStart(long pc, long opaque) {
        reset(pc, index, opaque);
        time = Math.max(time, vm.clock());
        setState(VcpuState.RUNNABLE);
    }

    public void hsmStop() {
        setState(VcpuState.STOPPED);
    }

    /** HSM hart_suspend: waits for an interrupt; non-retentive suspends resume at {@code resumeAddr}. */
    public void hsmSuspend(boolean retentive, long resumeAddr, long opaque) {
        suspended = true;
        resumeAddress = retentive ? -1 : resumeAddr;
        resumeOpaque = opaque;
        setState(VcpuState.HALTED);
    }

    /** Remote fence from another vCPU (SBI RFENCE): flushes this vCPU's TLB, records the request. */
    public void remoteFence(String cause, long start, long size, int asid) {
        int n;
        int vmid = translator.gstage().vmid();
        if (start == 0 && size == 0 || size < 0 || size > (64L << 12)) { // large ranges: flush all, as Linux does
            n = tlb.flushVs(vmid, -1, asid);
        } else {
            n = 0;
            for (long a = start & ~0xFFFL; Long.compareUnsigned(a, start + size) < 0; a += 0x1000) {
                n += tlb.flushVs(vmid, a, asid);
            }
        }
        tlb.record(interp.timeNs, cause, asid < 0 ? "vmid" : "asid " + asid, start, true, n);
        interp.flushMicroTlb();
    }

    // ---- registers -------------------------------------------------------------------------

    private static final String[] ABI = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1",
        "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
        "t5", "t6"};
    private static final String[] FABI = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0",
        "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",
        "fs11", "ft8", "ft9", "ft10", "ft11"};
    /** CSRs shown to debuggers (gdb number 65 + csr). */
    static final int[] DEBUG_CSRS = {Csr.SSTATUS, Csr.SIE, Csr.STVEC, Csr.SCOUNTEREN, Csr.SENVCFG, Csr.SSCRATCH,
        Csr.SEPC, Csr.SCAUSE, Csr.STVAL, Csr.SIP, Csr.STIMECMP, Csr.SATP, Csr.VSSTATUS, Csr.VSIE, Csr.VSTVEC,
        Csr.VSSCRATCH, Csr.VSEPC, Csr.VSCAUSE, Csr.VSTVAL, Csr.VSIP, Csr.VSTIMECMP, Csr.VSATP, Csr.HSTATUS,
        Csr.HEDELEG, Csr.HIDELEG, Csr.HIE, Csr.HTIMEDELTA, Csr.HCOUNTEREN, Csr.HENVCFG, Csr.HTVAL, Csr.HIP, Csr.HVIP,
        Csr.HTINST, Csr.HGATP, Csr.CYCLE, Csr.TIME, Csr.INSTRET};

    private List<RegisterDescriptor> buildRegisters() {
        List<RegisterDescriptor> r = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : (i == 2 || i == 3 || i == 4 || i == 8) ? "data_ptr" : "int";
            r.add(new RegisterDescriptor(ABI[i], i, 64, type, "general", "org.gnu.gdb.riscv.cpu"));
        }
        r.add(new RegisterDescriptor("pc", REG_PC, 64, "code_ptr", "general", "org.gnu.gdb.riscv.cpu"));
        if (isa.has(IsaExtension.F)) {
            for (int i = 0; i < 32; i++) {
                r.add(new RegisterDescriptor(FABI[i], REG_F0 + i, 64, isa.has(IsaExtension.D) ? "riscv_double" : "ieee_single",
                        "float", "org.gnu.gdb.riscv.fpu"));
            }
            r.add(new RegisterDescriptor("fflags", 65 + Csr.FFLAGS, 32, "int", "float", "org.gnu.gdb.riscv.fpu"));
            r.add(new RegisterDescriptor("frm", 65 + Csr.FRM, 32, "int", "float", "org.gnu.gdb.riscv.fpu"));
            r.add(new RegisterDescriptor("fcsr", 65 + Csr.FCSR, 32, "int", "float", "org.gnu.gdb.riscv.fpu"));
        }
        for (int csr : DEBUG_CSRS) {
            r.add(new RegisterDescriptor(Csr.name(csr), 65 + csr, 64, "int", "csr", "org.gnu.gdb.riscv.csr"));
        }
        r.add(new RegisterDescriptor("priv", REG_PRIV, 8, "int", "general", "org.gnu.gdb.riscv.virtual"));
        return List.copyOf(r);
    }

    @Override
    public List<RegisterDescriptor> registers() {
        return registers;
    }

    @Override
    public long readRegister(int regnum) {
        if (regnum >= 0 && regnum < 32) {
            return hart.x[regnum];
        }
        if (regnum == REG_PC) {
            return hart.pc;
        }
        if (regnum >= REG_F0 && regnum < REG_F0 + 32) {
            return hart.f[regnum - REG_F0];
        }
        if (regnum == REG_PRIV) {
            return hart.priv;
        }
        if (registerByNumber(regnum) == null) {
            throw new IllegalArgumentException("no register number " + regnum);
        }
        return readCsr(regnum - 65);
    }

    private long readCsr(int csr) {
        return switch (csr) {
            case Csr.FFLAGS -> hart.fflags;
            case Csr.FRM -> hart.frm;
            case Csr.FCSR -> (hart.frm << 5) | hart.fflags;
            case Csr.SSTATUS, Csr.VSSTATUS -> hart.vsstatus;
            case Csr.SIE, Csr.VSIE -> (hart.hie & hart.hideleg) >>> 1;
            case Csr.SIP, Csr.VSIP -> interp.pendingVs() >>> 1;
            case Csr.STVEC, Csr.VSTVEC -> hart.vstvec;
            case Csr.SCOUNTEREN -> hart.scounteren;
            case Csr.SENVCFG -> hart.senvcfg;
            case Csr.SSCRATCH, Csr.VSSCRATCH -> hart.vsscratch;
            case Csr.SEPC, Csr.VSEPC -> hart.vsepc;
            case Csr.SCAUSE, Csr.VSCAUSE -> hart.vscause;
            case Csr.STVAL, Csr.VSTVAL -> hart.vstval;
            case Csr.SATP, Csr.VSATP -> hart.vsatp;
            case Csr.STIMECMP, Csr.VSTIMECMP -> hart.vstimecmp;
            case Csr.HSTATUS -> hart.hstatus;
            case Csr.HEDELEG -> hart.hedeleg;
            case Csr.HIDELEG -> hart.hideleg;
            case Csr.HIE -> hart.hie;
            case Csr.HTIMEDELTA -> hart.htimedelta;
            case Csr.HCOUNTEREN -> hart.hcounteren;
            case Csr.HENVCFG -> hart.henvcfg;
            case Csr.HTVAL -> hart.htval;
            case Csr.HIP -> interp.pendingVs();
            case Csr.HVIP -> hart.hvip;
            case Csr.HTINST -> hart.htinst;
            case Csr.HGATP -> hart.hgatp;
            case Csr.CYCLE -> time;
            case Csr.TIME -> interp.timeTicks();
            case Csr.INSTRET -> instructions;
            default -> 0;
        };
    }

    @Override
    public void writeRegister(int regnum, long value) {
        if (regnum > 0 && regnum < 32) {
            hart.x[regnum] = value;
        } else if (regnum == 0) {
            return;
        } else if (regnum == REG_PC) {
            hart.pc = value & ~1L;
        } else if (regnum >= REG_F0 && regnum < REG_F0 + 32) {
            hart.f[regnum - REG_F0] = value;
        } else if (regnum == REG_PRIV) {
            hart.priv = value == 0 ? Hart.PRIV_U : Hart.PRIV_S;
            interp.flushMicroTlb();
        } else if (registerByNumber(regnum) == null) {
            throw new IllegalArgumentException("no register number " + regnum);
        } else {
            writeCsr(regnum - 65, value);
        }
    }

    private void writeCsr(int csr, long v) {
        switch (csr) {
            case Csr.FFLAGS -> hart.fflags = (int) v & 31;
            case Csr.FRM -> hart.frm = (int) v & 7;
            case Csr.FCSR -> {
                hart.fflags = (int) v & 31;
                hart.frm = (int) (v >>> 5) & 7;
            }
            case Csr.SSTATUS, Csr.VSSTATUS -> hart.vsstatus = v;
            case Csr.STVEC, Csr.VSTVEC -> hart.vstvec = v;
            case Csr.SSCRATCH, Csr.VSSCRATCH -> hart.vsscratch = v;
            case Csr.SEPC, Csr.VSEPC -> hart.vsepc = v;
            case Csr.SCAUSE, Csr.VSCAUSE -> hart.vscause = v;
            case Csr.STVAL, Csr.VSTVAL -> hart.vstval = v;
            case Csr.SATP, Csr.VSATP -> hart.vsatp = v;
            case Csr.STIMECMP, Csr.VSTIMECMP -> hart.vstimecmp = v;
            case Csr.HVIP -> hart.hvip = v & Csr.VS_IRQS;
            default -> {
                // other CSRs are read-only to a debugger (hypervisor configuration)
            }
        }
        interp.flushMicroTlb();
    }

    @Override
    public long pc() {
        return hart.pc;
    }

    @Override
    public void setPc(long pc) {
        hart.pc = pc & ~1L;
    }

    @Override
    public long translateForDebug(long va) {
        return translator.translateForDebug(va);
    }

    @Override
    public String describeState() {
        String mode = hart.priv == Hart.PRIV_S ? "VS-mode" : "VU-mode";
        return switch (state()) {
            case RUNNABLE -> "running in " + mode;
            case HALTED -> suspended ? "suspended (SBI HSM)" : "waiting for an interrupt (wfi)";
            case STOPPED -> "stopped (SBI HSM)";
        };
    }
}
