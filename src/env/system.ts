// The host: OS release, hypervisor, container runtime and machine make, each with the evidence it rests on.

import type { Systeminformation } from 'systeminformation';
import type { EnvBlock, Fact, MaybeKnown } from '../results/env.js';
import { firstLine, unknown } from './parse.js';
import type { HostSources } from './sources.js';

/** The host facts of the environment block that come from the OS and firmware. */
export type SystemFacts = Pick<EnvBlock['host'], 'os' | 'kernel' | 'virtualization' | 'virtualizationSource' | 'container' | 'containerSource' | 'system'>;

const DMI = '/sys/class/dmi/id';

/** DMI vendor/product words -> hypervisor name (what systemd-detect-virt calls them). */
const DMI_HYPERVISORS: ReadonlyArray<[RegExp, string]> = [
  [/KVM/i, 'kvm'],
  [/QEMU/i, 'qemu'],
  [/VMware/i, 'vmware'],
  [/VirtualBox|innotek/i, 'oracle'],
  [/Xen/i, 'xen'],
  [/Microsoft Corporation.*Virtual Machine|Hyper-V/i, 'microsoft'],
  [/Amazon EC2/i, 'amazon'],
  [/Google Compute Engine/i, 'google'],
  [/Parallels/i, 'parallels'],
  [/Bochs/i, 'bochs'],
];

export async function captureSystem(sources: HostSources, siOs: Systeminformation.OsData | undefined, cpuFlags: string[] | undefined): Promise<SystemFacts> {
  const osRelease = sources.readText('/etc/os-release');
  const pretty = osRelease?.match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1];
  const os: MaybeKnown<string> =
    pretty !== undefined && pretty !== ''
      ? pretty
      : siOs !== undefined && siOs.distro !== ''
        ? `${siOs.distro} ${siOs.release}`.trim()
        : unknown('no PRETTY_NAME in /etc/os-release and systeminformation found no distribution');
  const kernel = firstLine(sources.readText('/proc/sys/kernel/osrelease')) ?? sources.os.release();

  const vendor = firstLine(sources.readText(`${DMI}/sys_vendor`));
  const product = firstLine(sources.readText(`${DMI}/product_name`));
  const dmiText = [vendor, product].filter((s) => s !== undefined).join(' ');
  const system: Fact<string> = dmiText !== '' ? { value: dmiText, source: `${DMI}/sys_vendor, product_name` } : unknown(`no firmware (DMI) tables at ${DMI}`);

  const [vmRun, ctRun] = await Promise.all([sources.run('systemd-detect-virt', ['--vm'], 2000), sources.run('systemd-detect-virt', ['--container'], 2000)]);

  // Hypervisor: firmware tables first, then systemd's detector, then the CPU's hypervisor flag.
  let virtualization: MaybeKnown<string>;
  let virtualizationSource: string;
  const dmiHit = DMI_HYPERVISORS.find(([re]) => re.test(dmiText));
  const xen = firstLine(sources.readText('/sys/hypervisor/type'));
  const detectedVm = vmRun.ok ? firstLine(vmRun.output) : undefined;
  if (dmiHit !== undefined) {
    virtualization = dmiHit[1];
    virtualizationSource = `${DMI} (${dmiText})`;
  } else if (xen !== undefined) {
    virtualization = xen;
    virtualizationSource = '/sys/hypervisor/type';
  } else if (detectedVm !== undefined && /^[a-z0-9_-]+$/.test(detectedVm)) {
    virtualization = detectedVm;
    virtualizationSource = 'systemd-detect-virt --vm';
  } else if (cpuFlags?.includes('hypervisor') === true) {
    virtualization = 'virtualized (hypervisor not named)';
    virtualizationSource = '/proc/cpuinfo hypervisor flag';
  } else if (cpuFlags !== undefined && cpuFlags.length > 0 && process.arch.startsWith('x')) {
    // x86 sets the hypervisor bit in every guest; its absence (with no DMI hint) means bare metal.
    virtualization = 'none';
    virtualizationSource = '/proc/cpuinfo: no hypervisor flag';
  } else {
    virtualization = unknown('no DMI tables, no systemd-detect-virt and no hypervisor flag to tell');
    virtualizationSource = 'none';
  }

  // Container: runtime marker files, cgroup paths, then systemd's detector.
  let container: MaybeKnown<string>;
  let containerSource: string;
  const cgroupText = sources.readText('/proc/self/cgroup') ?? '';
  const cgroupHit = /kubepods|docker|libpod|lxc|containerd|crio/.exec(cgroupText)?.[0];
  const detectedCt = ctRun.ok ? firstLine(ctRun.output) : undefined;
  if (sources.exists('/.dockerenv')) {
    container = 'docker';
    containerSource = '/.dockerenv';
  } else if (sources.exists('/run/.containerenv')) {
    container = 'podman';
    containerSource = '/run/.containerenv';
  } else if (process.env.KUBERNETES_SERVICE_HOST !== undefined && sources.root === '/') {
    container = 'kubernetes';
    containerSource = 'KUBERNETES_SERVICE_HOST';
  } else if (cgroupHit !== undefined) {
    container = cgroupHit === 'kubepods' ? 'kubernetes' : cgroupHit;
    containerSource = '/proc/self/cgroup';
  } else if (detectedCt !== undefined && /^[a-z0-9_-]+$/.test(detectedCt)) {
    container = detectedCt;
    containerSource = 'systemd-detect-virt --container';
  } else if (sources.exists('/proc/self/cgroup')) {
    container = 'none';
    containerSource = 'no marker files, no container cgroup path';
  } else {
    container = unknown('no /proc/self/cgroup and no marker files to tell');
    containerSource = 'none';
  }

  return { os, kernel, virtualization, container, system, virtualizationSource, containerSource };
}
