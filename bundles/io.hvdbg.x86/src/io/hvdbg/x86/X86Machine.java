/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

import java.util.List;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VirtualMachine;
import io.hvdbg.core.VmConfig;
import io.hvdbg.core.exit.ExitHandlerTable;
import io.hvdbg.core.inspect.FeatureReport;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.loader.ImageFormatException;
import io.hvdbg.core.memory.MmioHandler;
import io.hvdbg.core.tlb.TlbModel;
import io.hvdbg.core.tlb.TlbStatisticsTable;
import io.hvdbg.core.vcpu.VcpuState;
import io.hvdbg.x86.boot.AcpiTables;
import io.hvdbg.x86.boot.X86Loader;
import io.hvdbg.x86.cpu.DecodeCache;
import io.hvdbg.x86.cpu.TdxModule;
import io.hvdbg.x86.cpu.X86Vcpu;
import io.hvdbg.x86.cpuid.CpuModels;
import io.hvdbg.x86.cpuid.CpuidTable;
import io.hvdbg.x86.cpuid.SupportedCpuid;
import io.hvdbg.x86.cpuid.VcpuCpuid;
import io.hvdbg.x86.dev.DebugExit;
import io.hvdbg.x86.dev.DualPic;
import io.hvdbg.x86.dev.FwCfg;
import io.hvdbg.x86.dev.IoApic;
import io.hvdbg.x86.dev.LocalApic;
import io.hvdbg.x86.dev.PcTestDev;
import io.hvdbg.x86.dev.PciHostBridge;
import io.hvdbg.x86.dev.Pit8254;
import io.hvdbg.x86.dev.PmTimer;
import io.hvdbg.core.devices.Uart16550;
import io.hvdbg.x86.exit.X86ExitHandlers;
import io.hvdbg.x86.jit.X86Jit;

/**
 * A QEMU "pc"-like x86-64 machine: RAM from 0 (up to 3 GiB), COM1 16550 UART on IRQ 4,
 * isa-debug-exit, QEMU's pc-testdev (as kvm-unit-tests use it), fw_cfg, PCI host bridge, ACPI PM
 * timer, the 8259 pair, the 8254 PIT on IRQ 0,
 * the IOAPIC and one LAPIC per vCPU, and the guest image booted per {@link X86Loader}. ISA IRQ n
 * goes to 8259 input n and IOAPIC pin n, except IRQ 0 which is pin 2 (the MADT's override, as
 * QEMU wires it). The 8259s, the PIT and the BSP's LAPIC start as SeaBIOS leaves them for a
 * -kernel image.
 */
public final class X86Machine extends VirtualMachine {
    public static final long MAX_LOW_RAM = 0xC000_0000L;

    private final DecodeCache decodeCache;
    private final DualPic pic = new DualPic();
    private final IoApic ioapic = new IoApic();
    private final Pit8254 pit;
    private final Uart16550 uart;
    /** Whether an IRQ 0 edge could be seen when last looked at ({@link #irq0Visible}). */
    private boolean irq0Seen = true;

    public X86Machine(VmConfig config) throws ImageFormatException {
        super(config);
        long ram = config.memoryBytes();
        if (ram > MAX_LOW_RAM) {
            throw new IllegalArgumentException("--memory: x86_64 guests may have at most 3072 MiB, not "
                    + config.memoryMiB());
        }
        if (ram < (2L << 20)) {
            throw new IllegalArgumentException("--memory: x86_64 guests need at least 2 MiB");
        }
        try {
            memory().addRam("ram", 0, ram);
        } catch (OutOfMemoryError e) {
            throw new IllegalArgumentException("--memory: cannot allocate " + config.memoryMiB()
                    + " MiB of guest RAM in this JVM (maximum heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        }
        decodeCache = new DecodeCache(memory());
        ExitHandlerTable<X86Vcpu> handlers = X86ExitHandlers.create();
        CpuidTable supported = SupportedCpuid.create(config.amd(), config.smp());
        CpuidTable requested = CpuModels.requested(config.cpuModel(), config.option("cpuid", null), supported,
                config.amd());
        boolean jit = X86Jit.parseOption(config.option("jit", "on"));
        int jitThreshold = X86Jit.parseThreshold(config.option("jit-threshold", String.valueOf(X86Jit.DEFAULT_THRESHOLD)));
        for (int i = 0; i < config.smp(); i++) {
            LocalApic apic = new LocalApic(i, i == 0);
            VcpuCpuid cpuid = new VcpuCpuid(config.cpuModel(), supported, requested);
            X86Vcpu v = new X86Vcpu(this, i, decodeCache, handlers, apic, cpuid);
            cpuid.bind(apic::apicBaseMsr, () -> v.xcr0);
            addVcpu(v);
            X86Jit.install(v, jit, jitThreshold);
            if (i != 0) {
                v.setState(VcpuState.STOPPED);
            }
        }
        if (config.tdx()) {
            if (config.amd()) {
                throw new IllegalArgumentException("--tdx: TDX trust domains are Intel's; use --vendor intel");
            }
            String debug = config.option("tdx-debug", "off");
            if (!debug.equals("on") && !debug.equals("off")) {
                throw new IllegalArgumentException("tdx-debug: '" + debug + "' is not on or off");
            }
            for (int i = 0; i < config.smp(); i++) {
                x86(i).enterTdMode(new TdxModule(debug.equals("on"), i, config.smp()));
            }
        }
        String pgeFlush = config.option("amd-cr4-pge-flush", "6.14");
        if (!pgeFlush.equals("6.14") && !pgeFlush.equals("pre-6.14")) {
            throw new IllegalArgumentException("amd-cr4-pge-flush: '" + pgeFlush
                    + "' is not a behaviour (6.14 or pre-6.14)");
        }
        int intercepts = parseExceptionIntercepts(config.option("intercept-exceptions", ""));
        for (int i = 0; i < config.smp(); i++) {
            x86(i).setExceptionIntercepts(intercepts);
        }
        for (int i = 0; i < config.smp(); i++) {
            final int self = i;
            X86Vcpu v = x86(i);
            v.apic().setIpiSink((dest, logical, vector, mode) -> deliver(self, dest, logical, vector, mode, false));
            v.apic().setEoiBroadcast(ioapic::endOfInterrupt);
            v.apic().setWakeUp(() -> {
                if (v.state() == VcpuState.HALTED) {
                    kick();
                }
            });
        }
        ioapic.setBus((dest, logical, vector, mode, level) -> {
            if (mode == 7) {
                // ExtINT (virtual wire through the IOAPIC): the 8259 gives the vector, as in QEMU's ioapic_service
                deliver(-1, dest, logical, pic.acknowledge(), 0, false);
                refreshPlatformTimer();
            } else {
                deliver(-1, dest, logical, vector, mode, level);
            }
        });
        ioapic.setChangeListener(this::refreshPlatformTimer);
        x86(0).apic().setExtIntAcknowledge(() -> {
            int vector = pic.acknowledge();
            refreshPlatformTimer(); // INTA cleared the latched IRQ 0
            return vector;
        });
        pic.setOutput(level -> x86(0).apic().setExtIntLine(level));
        pit = new Pit8254(() -> x86(currentVcpu()).time());
        pit.setIrq0(level -> setIsaIrq(0, level));
        pit.setDeadlineListener(this::refreshPlatformTimer);
        pic.firmwareSetup();
        pit.firmwareSetup();
        x86(0).apic().firmwareSetup();
        x86(0).setPlatformTimer(new X86Vcpu.PlatformTimer() {
            @Override
            public long deadline() {
                return irq0Seen ? pit.deadline() : Long.MAX_VALUE;
            }

            @Override
            public void expire(long now) {
                pit.expire(now);
            }
        });
        ioPorts().register("pic-master", DualPic.MASTER, 2, picPorts());
        ioPorts().register("pic-slave", DualPic.SLAVE, 2, picPorts());
        ioPorts().register("elcr", DualPic.ELCR, 2, picPorts());
        ioPorts().register("pit", Pit8254.BASE, 4, pit);
        ioPorts().register("pcspk", Pit8254.SpeakerPort.PORT, 1, new Pit8254.SpeakerPort(pit));
        uart = new Uart16550(console(), level -> setIsaIrq(4, level != 0));
        ioPorts().register("serial0", Uart16550.COM1, 8, uart.asPorts(Uart16550.COM1));
        ioPorts().register("isa-debug-exit", DebugExit.PORT, 4, new DebugExit(this));
        FwCfg fwCfg = new FwCfg(ram, config.smp());
        ioPorts().register("fw_cfg", FwCfg.SELECTOR, 2, fwCfg);
        PciHostBridge pci = new PciHostBridge();
        ioPorts().register("pci-host", PciHostBridge.ADDRESS, 8, pci);
        ioPorts().register("acpi-pm-timer", PmTimer.PORT, 4, new PmTimer(() -> x86(currentVcpu()).time()));
        memory().addMmio("ioapic", IoApic.BASE, 0x1000, ioapic);
        PcTestDev testDev = new PcTestDev((line, level) -> {
            if (line < 16) {
                setIsaIrq(line, level);
            } else {
                ioapic.setIrq(line, level);
            }
        });
        ioPorts().register("pc-testdev-ioport", PcTestDev.DATA_PORT, 4, testDev);
        ioPorts().register("pc-testdev-flush-page", PcTestDev.FLUSH_PORT, 4, testDev);
        ioPorts().register("pc-testdev-ioport-byte", PcTestDev.BYTE_PORT, 4, testDev);
        ioPorts().register("pc-testdev-irq-line", PcTestDev.IRQ_PORT, PcTestDev.IRQ_LINES, testDev);
        memory().addMmio("lapic", LocalApic.DEFAULT_BASE, 0x1000, new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                X86Vcpu v = x86(currentVcpu());
                return v.apic().read((int) offset & 0xFF0, v.time()) & 0xFFFF_FFFFL;
            }

            @Override
            public void write(long offset, int size, long value) {
                X86Vcpu v = x86(currentVcpu());
                v.apic().write((int) offset & 0xFF0, (int) value, v.time());
                refreshPlatformTimer(); // LINT0 decides whether the 8259 reaches the CPU
            }
        });
        AcpiTables.install(memory(), config.smp());
        if (config.kernel() != null) {
            byte[] image;
            try {
                image = Files.readAllBytes(config.kernel());
            } catch (NoSuchFileException e) {
                throw new ImageFormatException(config.kernel() + ": no such file");
            } catch (IOException e) {
                throw new ImageFormatException(config.kernel() + ": cannot read (" + e.getMessage() + ")");
            }
            X86Loader.load(config.kernel().toString(), image, config.append(), memory(), ram, x86(0));
        }
        if (memory().slotFor(PcTestDev.IOMEM) == null
                && memory().slotFor(PcTestDev.IOMEM + PcTestDev.IOMEM_SIZE - 1) == null) {
            memory().addMmio("pc-testdev-iomem", PcTestDev.IOMEM, PcTestDev.IOMEM_SIZE, testDev.iomem());
        }
    }

    private static final String[] VECTORS = {"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "", "TS", "NP", "SS",
        "GP", "PF", "", "MF", "AC", "MC", "XM"};

    /** Option {@code intercept-exceptions=BP,DB,14}: exception vectors (names or numbers) that exit first. */
    static int parseExceptionIntercepts(String list) {
        int bits = 0;
        for (String item : list.split(",")) {
            String v = item.trim().toUpperCase(java.util.Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            int n = java.util.Arrays.asList(VECTORS).indexOf(v.startsWith("#") ? v.substring(1) : v);
            if (n < 0) {
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    n = -1;
                }
            }
            if (n < 0 || n > 31) {
                throw new IllegalArgumentException("intercept-exceptions: '" + item.trim()
                        + "' is not an exception vector (0-31 or a name like BP, DB, PF, GP, UD)");
            }
            bits |= 1 << n;
        }
        return bits;
    }

    @Override
    public Architecture architecture() {
        return Architecture.X86_64;
    }

    @Override
    public List<StateRow> systemState(int vcpu) {
        return X86Inspector.state(x86(vcpu));
    }

    @Override
    public FeatureReport features(int vcpu) {
        return X86Inspector.features(x86(vcpu));
    }

    @Override
    public TlbModel tlb(int vcpu) {
        return x86(vcpu).tlbModel();
    }

    /** The {@code --stats} TLB table: flush requests and flushes by cause (print after the exit table). */
    public String tlbStatistics() {
        return TlbStatisticsTable.format(this);
    }

    public X86Vcpu x86(int index) {
        return (X86Vcpu) vcpu(index);
    }

    public DecodeCache decodeCache() {
        return decodeCache;
    }

    /** The 8259 pair, for inspection and tests. */
    public DualPic pic() {
        return pic;
    }

    public IoApic ioapic() {
        return ioapic;
    }

    public Pit8254 pit() {
        return pit;
    }

    /** Drives ISA IRQ line {@code irq}: 8259 input {@code irq} and IOAPIC pin {@code irq} (IRQ 0 on pin 2). */
    public void setIsaIrq(int irq, boolean level) {
        pic.setIrq(irq, level);
        ioapic.setIrq(irq == 0 ? 2 : irq, level);
    }

    /** Raises LINT1 on every vCPU, as QEMU's "nmi" monitor command does (an NMI where LINT1 is in NMI mode). */
    public void injectNmi() {
        for (int i = 0; i < vcpuCount(); i++) {
            x86(i).apic().assertLint1();
        }
    }

    /**
     * The PIT only costs exits while an IRQ 0 edge can change something the guest sees: the 8259
     * has not latched one yet (masked or not), or the IOAPIC's pin 2 is unmasked. A guest that
     * masked the timer everywhere takes one more exit, then none (KVM's PIT mask notifier idea).
     */
    private boolean irq0Visible() {
        return (pic.irr() & 1) == 0 || ioapic.unmasked(2);
    }

    private void refreshPlatformTimer() {
        if (vcpuCount() == 0 || pit == null) {
            return;
        }
        boolean visible = irq0Visible();
        if (visible && !irq0Seen) {
            // The edges while hidden changed nothing (the 8259 had one latched, the IOAPIC pin was
            // masked): count on from now instead of delivering them late.
            pit.skipPassedEdges(x86(currentVcpu()).time());
        }
        irq0Seen = visible;
        x86(0).refreshPlatformDeadline();
    }

    private io.hvdbg.core.memory.PioHandler picPorts() {
        return new io.hvdbg.core.memory.PioHandler() {
            @Override
            public int in(int port, int size) {
                return pic.in(port, size);
            }

            @Override
            public void out(int port, int size, int value) {
                pic.out(port, size, value);
                refreshPlatformTimer(); // the IMR decides whether IRQ 0 is seen
            }
        };
    }

    @Override
    protected void pollExternalEvents() {
        uart.poll();
    }

    /**
     * A message on the APIC bus, from a LAPIC's ICR ({@code from} its vCPU; {@code dest} -1 means
     * all but the sender) or from the IOAPIC ({@code from} -1). Lowest priority goes to the first
     * matching APIC, which keeps runs deterministic.
     */
    private void deliver(int from, int dest, boolean logical, int vector, int mode, boolean level) {
        for (int i = 0; i < vcpuCount(); i++) {
            X86Vcpu v = x86(i);
            boolean match = dest == -1 ? i != from : v.apic().matches(dest, logical);
            if (!match) {
                continue;
            }
            switch (mode) {
                case 0, 1 -> v.apic().accept(vector, level);
                case 4 -> v.apic().nmi();
                case 5 -> {
                    if (i != 0) {
                        v.setState(VcpuState.STOPPED); // INIT: an AP goes back to wait-for-SIPI
                    }
                }
                case 6 -> v.startupIpi(vector);
                default -> { } // SMI is not modelled; INIT of the BSP (a reset) neither
            }
            if (mode == 1) {
                return;
            }
        }
    }
}
