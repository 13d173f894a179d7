/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.Launch;
import org.eclipse.debug.core.model.IProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.debug.core.launch.VmLaunchDelegate;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.launch.VmOptions;
import io.hvdbg.debug.core.model.IVcpuStateProvider;
import io.hvdbg.debug.core.model.VcpuStateSnapshot;
import io.hvdbg.debug.core.model.VmDebugTarget;
import io.hvdbg.debug.core.model.VmProcess;

/** The "hvdbg Virtual Machine" launch configuration type and its delegate, headless. */
class VmLaunchTest {
    @TempDir
    Path dir;

    private static ILaunchManager manager() {
        return DebugPlugin.getDefault().getLaunchManager();
    }

    private static ILaunchConfigurationWorkingCopy config(String name, VmLaunchSettings s) throws CoreException {
        ILaunchConfigurationWorkingCopy wc = manager().getLaunchConfigurationType(VmLaunchSettings.LAUNCH_TYPE_ID)
                .newInstance(null, name);
        s.applyTo(wc);
        return wc;
    }

    /** The product's delegate with scripted guests instead of the x86/RISC-V cores. */
    static final class ScriptedDelegate extends VmLaunchDelegate {
        @Override
        protected MachineFactory factory(Architecture architecture) {
            return ScriptedMachines.factory(architecture);
        }
    }

    @Test
    void launchTypeIsRegisteredForRunAndDebugWithItsDelegate() throws CoreException {
        ILaunchConfigurationType t = manager().getLaunchConfigurationType("io.hvdbg.debug.launchType.vm");
        assertNotNull(t, "launch configuration type io.hvdbg.debug.launchType.vm");
        assertEquals("hvdbg Virtual Machine", t.getName());
        assertTrue(t.supportsMode(ILaunchManager.RUN_MODE));
        assertTrue(t.supportsMode(ILaunchManager.DEBUG_MODE));
        assertInstanceOf(VmLaunchDelegate.class, t.getDelegates(Set.of(ILaunchManager.RUN_MODE))[0].getDelegate());
    }

    @Test
    void runningAGuestShowsItsConsoleAndEndsWithItsExitStatus() throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 5\nhello from a scripted guest\n");
        ILaunchConfigurationWorkingCopy wc = config("scripted", new VmLaunchSettings("x86_64", k.toString(), 64, 1, "amd"));
        Launch launch = new Launch(wc, ILaunchManager.RUN_MODE, null);
        new ScriptedDelegate().launch(wc, ILaunchManager.RUN_MODE, launch, new NullProgressMonitor());

        IProcess[] processes = launch.getProcesses();
        assertEquals(1, processes.length);
        VmProcess p = assertInstanceOf(VmProcess.class, processes[0]);
        assertTrue(p.getLabel().startsWith("scripted [x86_64, guest.script]"), p.getLabel());
        long deadline = System.currentTimeMillis() + 20_000;
        while (!p.isTerminated() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isTerminated(), "the guest must end");
        assertEquals(5, p.getExitValue());
        assertEquals("hello from a scripted guest\n", p.getStreamsProxy().getOutputStreamMonitor().getContents());
        assertFalse(p.canTerminate());

        VcpuStateSnapshot s = p.getAdapter(IVcpuStateProvider.class).vcpuState();
        assertNotNull(s, "state captured at the shutdown stop");
        assertTrue(s.title().startsWith("vCPU 0 of x86_64 VM (shutdown)"), s.title());
        assertTrue(s.rows().stream().anyMatch(r -> r.name().equals("rip") && r.value() == 0x100000 + "hello from a scripted guest\n".length()), s.rows().toString());
        assertTrue(s.rows().stream().anyMatch(r -> r.name().equals("cr4")));
    }

    @Test
    void badConfigurationsFailWithTheTabsMessage() throws Exception {
        Launch launch = new Launch(null, ILaunchManager.RUN_MODE, null);
        CoreException e = assertThrows(CoreException.class, () -> new ScriptedDelegate().launch(
                config("nokernel", new VmLaunchSettings("x86_64", "", 64, 1, "intel")), "run", launch, null));
        assertTrue(e.getMessage().startsWith("nokernel: Choose the guest image"), e.getMessage());

        e = assertThrows(CoreException.class, () -> new ScriptedDelegate().launch(
                config("missing", new VmLaunchSettings("riscv64", dir.resolve("nope").toString(), 64, 1, "intel")), "run",
                launch, null));
        assertEquals("Guest image " + dir.resolve("nope") + " does not exist or is not a file.", e.getMessage());
        assertEquals(0, launch.getProcesses().length);
    }

    @Test
    void debugModeDebugsTheGuestOverTheStubAndEndsWithIt() throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 3\ndebugged\n");
        Launch launch = new Launch(null, ILaunchManager.DEBUG_MODE, null);
        ILaunchConfigurationWorkingCopy wc = config("debug", new VmLaunchSettings("x86_64", k.toString(), 64, 1, "intel"));
        new ScriptedDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, null);
        VmDebugTarget target = assertInstanceOf(VmDebugTarget.class, launch.getDebugTarget());
        assertTrue(target.getName().startsWith("debug [x86_64, guest.script] (stub 127.0.0.1:"), target.getName());
        VmProcess p = assertInstanceOf(VmProcess.class, launch.getProcesses()[0]);
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(target.isTerminated() && p.isTerminated()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(target.isTerminated() && p.isTerminated(), "no breakpoints, no stop at entry: the guest runs to its end");
        assertEquals("the guest exited with status 3", target.endReason());
        assertEquals(3, p.getExitValue());
        assertEquals("debugged\n", p.getStreamsProxy().getOutputStreamMonitor().getContents());
    }

    @Test
    void disconnectLeavesTheGuestRunningAsInRunMode() throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 4\nruns on after the debugger left\n");
        Launch launch = new Launch(null, ILaunchManager.DEBUG_MODE, null);
        ILaunchConfigurationWorkingCopy wc = config("detach", new VmLaunchSettings("x86_64", k.toString(), 64, 1, "intel"));
        wc.setAttribute(VmLaunchDelegate.ATTR_STOP_AT_ENTRY, true);
        new ScriptedDelegate().launch(wc, ILaunchManager.DEBUG_MODE, launch, null);
        VmDebugTarget target = (VmDebugTarget) launch.getDebugTarget();
        VmProcess p = (VmProcess) launch.getProcesses()[0];
        long deadline = System.currentTimeMillis() + 20_000;
        while (!target.isSuspended() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(target.isSuspended(), "stopped at entry");
        assertTrue(target.canDisconnect());
        target.disconnect();
        while (!p.isTerminated() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(target.isDisconnected());
        assertTrue(target.isTerminated());
        assertTrue(p.isTerminated(), "the guest ran to its end without the debugger");
        assertEquals(4, p.getExitValue());
        assertEquals("runs on after the debugger left\n", p.getStreamsProxy().getOutputStreamMonitor().getContents());
    }

    @Test
    void machineOptionsReachTheCoreAndBadOnesAreMessages() throws Exception {
        Path k = dir.resolve("guest.script");
        Files.writeString(k, "status 0\n");
        java.util.concurrent.atomic.AtomicReference<io.hvdbg.core.VmConfig> seen = new java.util.concurrent.atomic.AtomicReference<>();
        VmLaunchDelegate recording = new VmLaunchDelegate() {
            @Override
            protected MachineFactory factory(Architecture architecture) {
                MachineFactory f = ScriptedMachines.factory(architecture);
                return new MachineFactory() {
                    @Override
                    public Architecture architecture() {
                        return architecture;
                    }

                    @Override
                    public io.hvdbg.core.VirtualMachine create(io.hvdbg.core.VmConfig config)
                            throws io.hvdbg.core.loader.ImageFormatException {
                        seen.set(config);
                        return f.create(config);
                    }
                };
            }
        };
        ILaunchConfigurationWorkingCopy wc = config("options", new VmLaunchSettings("riscv64", k.toString(), 64, 1, "intel"));
        new VmOptions("console=ttyS0 quiet", "", false, "RV64IMAFDC_Zabha_Svvptc").applyTo(wc);
        Launch launch = new Launch(wc, ILaunchManager.RUN_MODE, null);
        recording.launch(wc, ILaunchManager.RUN_MODE, launch, null);
        assertEquals("console=ttyS0 quiet", seen.get().append());
        assertEquals("rv64imafdc_zabha_svvptc", seen.get().isa());
        assertFalse(seen.get().tdx());

        ILaunchConfigurationWorkingCopy bad = config("bad-options", new VmLaunchSettings("x86_64", k.toString(), 64, 1, "amd"));
        new VmOptions("", "", true, "").applyTo(bad);
        CoreException e = assertThrows(CoreException.class,
                () -> recording.launch(bad, ILaunchManager.RUN_MODE, new Launch(bad, ILaunchManager.RUN_MODE, null), null));
        assertEquals("bad-options: TDX guest mode needs the Intel vendor (TDX is an Intel technology).", e.getMessage());
        new VmOptions("", "", false, "rv64gc").applyTo(bad);
        e = assertThrows(CoreException.class,
                () -> recording.launch(bad, ILaunchManager.RUN_MODE, new Launch(bad, ILaunchManager.RUN_MODE, null), null));
        assertEquals("bad-options: ISA extensions apply to riscv64 guests only; clear them for x86_64.", e.getMessage());

        // CPUID preset with per-feature overrides, as hvdbg run --cpu takes them.
        ILaunchConfigurationWorkingCopy cpu = config("cpu", new VmLaunchSettings("x86_64", k.toString(), 64, 1, "intel"));
        new VmOptions("", "Skylake-Client,+pcid,-x2apic", false, "").applyTo(cpu);
        recording.launch(cpu, ILaunchManager.RUN_MODE, new Launch(cpu, ILaunchManager.RUN_MODE, null), null);
        assertEquals("Skylake-Client,+pcid,-x2apic", seen.get().cpuModel());
        new VmOptions("", "Skylake-Client,,+pcid", false, "").applyTo(bad);
        new VmLaunchSettings("x86_64", k.toString(), 64, 1, "intel").applyTo(bad);
        e = assertThrows(CoreException.class,
                () -> recording.launch(bad, ILaunchManager.RUN_MODE, new Launch(bad, ILaunchManager.RUN_MODE, null), null));
        assertEquals("bad-options: CPU model 'Skylake-Client,,+pcid' has an empty entry between commas.", e.getMessage());
    }

    @Test
    void theRealCoresAnswerWithOneLineWhateverTheirState() throws IOException, CoreException {
        // Not a kernel: a core that exists rejects the image; one that does not yet says so.
        Path k = dir.resolve("not-a-kernel.txt");
        Files.writeString(k, "status 0\nthis is text, not ELF\n");
        for (Architecture a : Architecture.values()) {
            Launch launch = new Launch(null, ILaunchManager.RUN_MODE, null);
            ILaunchConfigurationWorkingCopy wc = config("real-" + a.cliName(),
                    new VmLaunchSettings(a.cliName(), k.toString(), 64, 1, "intel"));
            CoreException e = assertThrows(CoreException.class,
                    () -> new VmLaunchDelegate().launch(wc, ILaunchManager.RUN_MODE, launch, null));
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
