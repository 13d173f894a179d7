/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.debug.ui.launch;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.StringVariableSelectionDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.VmConfig;
import io.hvdbg.debug.core.HvdbgDebugCore;
import io.hvdbg.debug.core.launch.VmLaunchSettings;
import io.hvdbg.debug.ui.HvdbgDebugUI;

/**
 * Main tab of an "hvdbg Virtual Machine": architecture, guest image, memory, vCPUs and (x86)
 * the exit flavour. Validation messages come from {@link VmLaunchSettings#validate()}, the same
 * check the launch delegate makes.
 */
public final class VmMainTab extends HvdbgLaunchTab {
    public static final String ID = "io.hvdbg.debug.ui.launch.mainTab";

    private Combo archCombo;
    private Text imageText;
    private Spinner memorySpinner;
    private Spinner vcpuSpinner;
    private Combo vendorCombo;

    @Override
    public void createControl(Composite parent) {
        Composite top = new Composite(parent, SWT.NONE);
        top.setLayout(new GridLayout(1, false));
        setControl(top);

        Group machine = group(top, "Machine", 2);
        label(machine, "&Architecture:");
        archCombo = new Combo(machine, SWT.READ_ONLY | SWT.DROP_DOWN);
        for (Architecture a : Architecture.values()) {
            archCombo.add(a.cliName());
        }
        archCombo.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false));
        archCombo.addModifyListener(e -> {
            updateVendorEnablement();
            changed();
        });

        label(machine, "&Memory (MiB):");
        memorySpinner = new Spinner(machine, SWT.BORDER);
        memorySpinner.setValues(VmConfig.DEFAULT_MEMORY_MIB, 1, VmLaunchSettings.MAX_MEMORY_MIB, 0, 16, 256);
        memorySpinner.addModifyListener(e -> changed());

        label(machine, "&vCPUs:");
        vcpuSpinner = new Spinner(machine, SWT.BORDER);
        vcpuSpinner.setValues(1, 1, VmConfig.MAX_VCPUS, 0, 1, 4);
        vcpuSpinner.addModifyListener(e -> changed());

        label(machine, "x86 &vendor (VM exits):");
        vendorCombo = new Combo(machine, SWT.READ_ONLY | SWT.DROP_DOWN);
        vendorCombo.add("intel");
        vendorCombo.add("amd");
        vendorCombo.setToolTipText("intel: VMX exit reasons; amd: SVM exit codes");
        vendorCombo.addModifyListener(e -> changed());

        Group image = group(top, "Guest image", 3);
        imageText = textField(image, "&Kernel:",
                "What QEMU's -kernel takes: x86 multiboot ELF or ELF64; RISC-V Linux Image or ELF");
        Composite buttons = new Composite(image, SWT.NONE);
        buttons.setLayout(new GridLayout(2, true));
        Button browse = createPushButton(buttons, "&File System...", null);
        browse.addListener(SWT.Selection, e -> browseImage());
        Button variables = createPushButton(buttons, "Va&riables...", null);
        variables.addListener(SWT.Selection, e -> chooseVariable());
    }

    private static Group group(Composite parent, String text, int columns) {
        Group g = new Group(parent, SWT.NONE);
        g.setText(text);
        g.setLayout(new GridLayout(columns, false));
        g.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        return g;
    }

    private static void label(Composite parent, String text) {
        new Label(parent, SWT.NONE).setText(text);
    }

    private void browseImage() {
        FileDialog d = new FileDialog(getShell(), SWT.OPEN);
        d.setText("Guest image");
        String current = imageText.getText().trim();
        if (!current.isEmpty() && !current.contains("${")) {
            d.setFilterPath(current);
        }
        String chosen = d.open();
        if (chosen != null) {
            imageText.setText(chosen);
        }
    }

    private void chooseVariable() {
        StringVariableSelectionDialog d = new StringVariableSelectionDialog(getShell());
        if (d.open() == StringVariableSelectionDialog.OK) {
            imageText.insert(d.getVariableExpression());
        }
    }

    private void updateVendorEnablement() {
        boolean x86 = Architecture.X86_64.cliName().equals(archCombo.getText());
        vendorCombo.setEnabled(x86);
        if (!x86) {
            vendorCombo.setText("intel");
        }
    }

    @Override
    public void setDefaults(ILaunchConfigurationWorkingCopy configuration) {
        VmLaunchSettings.defaults().applyTo(configuration);
    }

    @Override
    public void initializeFrom(ILaunchConfiguration configuration) {
        VmLaunchSettings s;
        try {
            s = VmLaunchSettings.from(configuration);
        } catch (CoreException e) {
            HvdbgDebugCore.log(e.getStatus());
            s = VmLaunchSettings.defaults();
        }
        Architecture a = s.parsedArchitecture();
        archCombo.setText(a == null ? s.architecture() : a.cliName());
        imageText.setText(s.kernel());
        memorySpinner.setSelection(s.memoryMiB());
        vcpuSpinner.setSelection(s.vcpus());
        vendorCombo.setText(s.vendor());
        updateVendorEnablement();
    }

    /** The settings the widgets show. */
    VmLaunchSettings settings() {
        return new VmLaunchSettings(archCombo.getText(), imageText.getText().trim(), memorySpinner.getSelection(),
                vcpuSpinner.getSelection(), vendorCombo.getText());
    }

    @Override
    public void performApply(ILaunchConfigurationWorkingCopy configuration) {
        settings().applyTo(configuration);
    }

    @Override
    public boolean isValid(ILaunchConfiguration configuration) {
        setErrorMessage(null);
        setMessage(null);
        VmLaunchSettings s;
        try {
            s = VmLaunchSettings.from(configuration);
        } catch (CoreException e) {
            setErrorMessage(e.getMessage());
            return false;
        }
        String problem = s.validate();
        if (problem == null) {
            problem = imageProblem(s.kernel());
        }
        if (problem != null) {
            setErrorMessage(problem);
            return false;
        }
        return true;
    }

    /** A plain path (no variables) must name a readable file; variables are resolved at launch. */
    static String imageProblem(String image) {
        if (image.contains("${")) {
            return null;
        }
        try {
            Path p = Path.of(image);
            if (!Files.exists(p)) {
                return "Guest image " + image + " does not exist.";
            }
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                return "Guest image " + image + " is not a readable file.";
            }
        } catch (InvalidPathException e) {
            return "Guest image '" + image + "' is not a valid path.";
        }
        return null;
    }

    @Override
    public String getName() {
        return "Main";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Image getImage() {
        return HvdbgDebugUI.image(HvdbgDebugUI.IMG_VM);
    }
}
