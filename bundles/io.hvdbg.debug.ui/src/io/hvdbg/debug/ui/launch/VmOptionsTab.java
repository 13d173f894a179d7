/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Text;

import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.core.launch.VmOptions;
import io.hvdbg.debug.ui.HvdbgDebugUI;

/**
 * Options tab of an "hvdbg Virtual Machine": kernel arguments, x86 CPU model (CPUID preset)
 * and TDX mode, RISC-V ISA string with extensions. Messages come from
 * {@link VmOptions#validate}, which also knows the Main tab's architecture and vendor.
 */
public final class VmOptionsTab extends HvdbgLaunchTab {
    public static final String ID = "io.hvdbg.debug.ui.launch.optionsTab";

    private Text appendText;
    private Text cpuText;
    private Button tdxButton;
    private Text isaText;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(2, false));
        setControl(top);
        appendText = textField(top, "&Kernel arguments:", "What QEMU's -append takes, e.g. console=ttyS0");
        cpuText = textField(top, "x86 &CPU model:", "CPUID preset and per-feature overrides as hvdbg run --cpu, e.g. Skylake-Client,+pcid,-x2apic; empty: host-max");
        tdxButton = checkBox(top, "x86 Intel &TDX guest mode (registers protected from the hypervisor)");
        isaText = textField(top, "RISC-V &ISA:", "e.g. rv64imafdc_zba_zbb_zabha_zacas_svvptc_ziccrse; empty: the default");
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        VmOptions.defaults().applyTo(configuration);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        VmOptions o;
        try {
            o = VmOptions.from(configuration);
        } catch (CoreException e) {
            HvdbgDebugCore.log(e.getStatus());
            o = VmOptions.defaults();
        }
        appendText.setText(o.append());
        cpuText.setText(o.cpuModel());
        tdxButton.setSelection(o.tdx());
        isaText.setText(o.isa());
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        new VmOptions(appendText.getText().trim(), cpuText.getText().trim(), tdxButton.getSelection(),
                isaText.getText().trim()).applyTo(configuration);
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        String problem;
        try {
            problem = VmOptions.from(configuration).validate(VmLaunchSettings.from(configuration));
        } catch (CoreException e) {
            problem = e.getMessage();
        }
        setErrorMessage(problem);
        return problem == null;
    }

    @Override
    public String getName() {
        return "Options";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Image getImage() {
        return HvdbgDebugUI.image(HvdbgDebugUI.IMG_VCPU_STATE);
    }
}
