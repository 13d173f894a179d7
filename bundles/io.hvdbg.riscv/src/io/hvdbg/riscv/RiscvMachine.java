/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import java.util.ArrayList;
import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.LastExitRows;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.memory.MemorySlot;
import io.hvdbg.core.tlb.TlbModel;
import io.hvdbg.riscv.boot.KernelLoader;
import io.hvdbg.riscv.boot.VirtDeviceTree;
import io.hvdbg.riscv.cpu.CodePages;
import io.hvdbg.riscv.cpu.Hart;
import io.hvdbg.riscv.cpu.IsaConfig;
import io.hvdbg.riscv.cpu.IsaExtension;
import io.hvdbg.riscv.devices.Aclint;
import io.hvdbg.riscv.devices.Plic;
import io.hvdbg.core.devices.Uart16550;
import io.hvdbg.riscv.exit.RiscvExits;
import io.hvdbg.riscv.jit.Jit;
import io.hvdbg.riscv.mmu.GStage;

/**
 * The "virt"-like RISC-V machine as a KVM guest sees it (QEMU's layout): RAM at 0x80000000,
 * CLINT/ACLINT at 0x2000000, PLIC at 0xc000000, ns16550a UART at 0x10000000 (PLIC source 10),
 * N harts starting in VS-mode with a0 = hart id and a1 = the device tree; hart 0 runs the kernel,
 * the others wait for SBI HSM hart_start. The G-stage maps all RAM up front (2 MiB blocks), so
 * every guest-page fault is an access to a device or to nothing.
 */
public final class RiscvMachine extends VirtualMachine {
    public static final long RAM_BASE = 0x80000000L;
    public static final long CLINT_BASE = 0x2000000L;
    public static final long PLIC_BASE = 0xC000000L;
    public static final long UART_BASE = 0x10000000L;
    public static final int UART_IRQ = 10;
    /** VMID of the (only) guest. */
    public static final int VMID = 1;

    private final CodePages codePages;
    private final GStage gstage;
    private final Uart16550 uart;
    private final Plic plic;
    private final long fdtAddress;
    private final KernelLoader.Loaded kernel;
    private final List<RiscvVcpu> harts = new ArrayList<>();

    RiscvMachine(VmConfig config) throws ImageFormatException {
        super(config);
        RiscvExits.init();
        IsaConfig isa = IsaConfig.parse(config.isa());
        long ramSize = config.memoryBytes();
        memory().addRam("ram", RAM_BASE, ramSize);
        plic = new Plic(config.smp(), (ctx, level) -> harts.get(ctx).setExternalInterrupt(level));
        uart = new Uart16550(console(), level -> plic.setIrq(UART_IRQ, level != 0));
        memory().addMmio("uart", UART_BASE, Uart16550.SIZE, uart);
        memory().addMmio("plic", PLIC_BASE, Plic.SIZE, plic);
        memory().addMmio("clint", CLINT_BASE, Aclint.SIZE, new Aclint(config.smp(), this::nowTicks));
        console().setInputListener(this::kick);
        codePages = new CodePages(memory());
        gstage = new GStage(memory(), GStage.parseMode(config.option("gstage", "sv39x4")), VMID, true);
        for (MemorySlot s : memory().slots()) {
            for (long a = s.base(); a < s.end(); a += 0x1000) {
                if (gstage.translate(a) < 0) {
                    gstage.mapFault(a);
                }
            }
        }
        boolean jit = parseJit(config.option("jit", "on"));
        int jitThreshold = parseJitThreshold(config.option("jit-threshold", String.valueOf(Jit.DEFAULT_THRESHOLD)));
        for (int i = 0; i < config.smp(); i++) {
            // Like KVM's per-vCPU ISA_EXT registers: option isa.N overrides --isa for vCPU N.
            String own = config.option("isa." + i, null);
            RiscvVcpu v = new RiscvVcpu(this, i, own == null ? isa : IsaConfig.parse(own), gstage);
            v.interpreter().setJit(jit, jitThreshold);
            harts.add(v);
            addVcpu(v);
        }

        // Kernel low in RAM, the device tree at the top (2 MiB aligned, as QEMU does), an initrd below it.
        List<IsaConfig> isas = new ArrayList<>();
        for (RiscvVcpu v : harts) {
            isas.add(v.isa());
        }
        VirtDeviceTree.Layout probe = layout(isas, ramSize, 0, 0);
        int fdtSize = VirtDeviceTree.build(probe).length + 64;
        long fdtAt = (RAM_BASE + ramSize - fdtSize - 4096) & ~0x1FFFFFL;
        if (fdtAt < RAM_BASE + KernelLoader.IMAGE_OFFSET) {
            fdtAt = (RAM_BASE + ramSize - fdtSize) & ~0xFFFL;
        }
        long usable = fdtAt - RAM_BASE;
        long initrdStart = 0;
        long initrdEnd = 0;
        byte[] initrd = null;
        if (config.initrd() != null) {
            initrd = KernelLoader.read(config.initrd(), "initrd");
            initrdStart = (fdtAt - initrd.length) & ~0xFFFL;
            initrdEnd = initrdStart + initrd.length;
            usable = initrdStart - RAM_BASE;
        }
        if (config.kernel() == null) {
            throw new IllegalArgumentException("no kernel given (--kernel FILE)");
        }
        byte[] image = KernelLoader.read(config.kernel(), "kernel");
        kernel = KernelLoader.load(config.kernel(), image, memory(), RAM_BASE, usable);
        if (initrd != null) {
            if (initrdStart < kernel.end()) {
                throw new ImageFormatException(String.format("%s: the initrd (%d KiB) does not fit in RAM above the kernel"
                        + " (raise --memory)", config.initrd(), initrd.length / 1024));
            }
            memory().write(initrdStart, initrd, 0, initrd.length);
        }
        byte[] fdt = VirtDeviceTree.build(layout(isas, ramSize, initrdStart, initrdEnd));
        memory().write(fdtAt, fdt, 0, fdt.length);
        fdtAddress = fdtAt;
        for (RiscvVcpu v : harts) {
            v.reset(kernel.entry(), v.index(), fdtAt);
            if (v.index() != 0) {
                v.setState(io.hvdbg.core.vcpu.VcpuState.STOPPED);
            }
        }
    }

    private VirtDeviceTree.Layout layout(List<IsaConfig> isas, long ramSize, long initrdStart, long initrdEnd) {
        return new VirtDeviceTree.Layout(RAM_BASE, ramSize, isas, config.append(), initrdStart, initrdEnd, UART_BASE,
                UART_IRQ, PLIC_BASE, Plic.SIZE, CLINT_BASE, Aclint.SIZE);
    }

    @Override
    public Architecture architecture() {
        return Architecture.RISCV64;
    }

    CodePages codePages() {
        return codePages;
    }

    public GStage gstage() {
        return gstage;
    }

    public RiscvVcpu hart(int i) {
        return harts.get(i);
    }

    public long fdtAddress() {
        return fdtAddress;
    }

    public KernelLoader.Loaded kernel() {
        return kernel;
    }

    public Uart16550 uart() {
        return uart;
    }

    /** True if the guest-physical address is RAM. */
    public boolean isRam(long gpa) {
        return memory().slotFor(gpa) != null;
    }

    /** mtime: the timebase of the vCPU running now. */
    private long nowTicks() {
        return harts.get(currentVcpu()).interpreter().timeTicks() - harts.get(currentVcpu()).hart().htimedelta;
    }

    @Override
    protected void pollExternalEvents() {
        uart.poll();
    }

    @Override
    public TlbModel tlb(int vcpu) {
        return harts.get(vcpu).tlb();
    }

    @Override
    public FeatureReport features(int vcpu) {
        IsaConfig isa = harts.get(vcpu).isa();
        List<FeatureBit> bits = new ArrayList<>();
        for (IsaExtension e : IsaExtension.values()) {
            bits.add(new FeatureBit("ISA", e.ordinal(), e.isaName(), true, isa.has(e), isa.has(e)));
        }
        return new FeatureReport("ISA " + isa.isaString() + " (vCPU " + vcpu + ")", List.of(), bits);
    }

    @Override
    public List<StateRow> systemState(int vcpu) {
        RiscvVcpu v = harts.get(vcpu);
        Hart h = v.hart();
        List<StateRow> rows = new ArrayList<>();
        rows.add(new StateRow("mode", "priv", h.priv, h.priv == Hart.PRIV_S ? "VS" : "VU"));
        rows.add(new StateRow("vs", "vsstatus", h.vsstatus, ""));
        rows.add(new StateRow("vs", "vsatp", h.vsatp, satpMode(h.vsatp)));
        rows.add(new StateRow("vs", "vstvec", h.vstvec, ""));
        rows.add(new StateRow("vs", "vsepc", h.vsepc, ""));
        rows.add(new StateRow("vs", "vscause", h.vscause, ""));
        rows.add(new StateRow("vs", "vstimecmp", h.vstimecmp, ""));
        rows.add(new StateRow("hyp", "hstatus", h.hstatus, ""));
        rows.add(new StateRow("hyp", "hedeleg", h.hedeleg, ""));
        rows.add(new StateRow("hyp", "hideleg", h.hideleg, ""));
        rows.add(new StateRow("hyp", "hvip", h.hvip, ""));
        rows.add(new StateRow("hyp", "hie", h.hie, ""));
        rows.add(new StateRow("hyp", "henvcfg", h.henvcfg, (h.henvcfg < 0) ? "STCE" : ""));
        rows.add(new StateRow("hyp", "hgatp", h.hgatp, gstage.modeName() + " vmid " + gstage.vmid()));
        rows.add(new StateRow("trap", "scause", h.hsScause, ""));
        rows.add(new StateRow("trap", "htval", h.htval, ""));
        rows.add(new StateRow("trap", "htinst", h.htinst, ""));
        rows.addAll(LastExitRows.of(v.currentExit(), vcpu));
        return rows;
    }

    private static String satpMode(long satp) {
        return switch ((int) (satp >>> 60)) {
            case 0 -> "Bare";
            case 8 -> "Sv39";
            case 9 -> "Sv48";
            case 10 -> "Sv57";
            default -> "?";
        };
    }

    /** Option jit-threshold: arrivals at a block start before it is compiled. */
    static int parseJitThreshold(String s) {
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1 && n <= Jit.MAX_THRESHOLD) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad value '" + s + "' for option jit-threshold (1.." + Jit.MAX_THRESHOLD + ")");
    }

    /** Option jit: on (default) runs hot code as compiled blocks, off interprets everything. */
    static boolean parseJit(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "1" -> true;
            case "off", "false", "0" -> false;
            default -> throw new IllegalArgumentException("bad value '" + s + "' for option jit (on or off)");
        };
    }
}
