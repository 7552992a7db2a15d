package validate

import (
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

const (
	proxyContainer = "dataaccess-proxy"
	rulesConfigMap = "dataaccess-rules"
	rulesFile      = "rules.yaml"
)

func TestServiceKustomization(t *testing.T) {
	r := render(t, ".")
	dep := r.deployments["productservice"]
	if dep == nil {
		t.Fatalf("no Deployment productservice in %v", keys(r.deployments))
	}
	pod := &dep.Spec.Template.Spec

	// The proxy is a native sidecar: an init container that keeps running.
	proxy := container(pod.InitContainers, proxyContainer)
	if proxy == nil {
		t.Fatalf("no init container %q (the native sidecar)", proxyContainer)
	}
	if proxy.RestartPolicy == nil || *proxy.RestartPolicy != corev1.ContainerRestartPolicyAlways {
		t.Errorf("sidecar restartPolicy = %v, want Always (a native sidecar)", proxy.RestartPolicy)
	}
	if container(pod.Containers, proxyContainer) != nil {
		t.Errorf("%s is also a regular container", proxyContainer)
	}

	// It reads its rules from the ConfigMap, mounted as a directory so that kubelet's updates arrive.
	config := flag(proxy.Args, "--config")
	if config == "" {
		t.Fatalf("sidecar args %v: no --config", proxy.Args)
	}
	mount := mountFor(pod, proxy, rulesConfigMap)
	if mount == nil {
		t.Fatalf("sidecar does not mount ConfigMap %s", rulesConfigMap)
	}
	if mount.SubPath != "" || mount.SubPathExpr != "" {
		t.Errorf("rules mounted with subPath %q%q: a subPath mount never sees ConfigMap updates", mount.SubPath,
			mount.SubPathExpr)
	}
	if !mount.ReadOnly {
		t.Error("rules mount is writable")
	}
	if config != path.Join(mount.MountPath, rulesFile) {
		t.Errorf("--config=%s, want %s (the file in the mounted directory)", config, path.Join(mount.MountPath, rulesFile))
	}
	cm := r.configMaps[rulesConfigMap]
	if cm == nil {
		t.Fatalf("no ConfigMap %s (a hashed name would roll the Deployment on every rules change): have %v",
			rulesConfigMap, keys(r.configMaps))
	}
	want, err := os.ReadFile("../" + rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	if cm.Data[rulesFile] != string(want) {
		t.Errorf("ConfigMap %s key %s differs from deploy/k8s/%s", rulesConfigMap, rulesFile, rulesFile)
	}

	// Kubelet asks grpc.health.v1 on the port the proxy listens on, for all three probes.
	listen := flag(proxy.Args, "--listen")
	port := listen[strings.LastIndex(listen, ":")+1:]
	grpcPort := containerPort(proxy, "grpc")
	if port != strconv.Itoa(int(grpcPort)) {
		t.Errorf("--listen=%s but the grpc containerPort is %d", listen, grpcPort)
	}
	for name, p := range map[string]*corev1.Probe{"startup": proxy.StartupProbe, "readiness": proxy.ReadinessProbe,
		"liveness": proxy.LivenessProbe} {
		switch {
		case p == nil:
			t.Errorf("sidecar has no %s probe", name)
		case p.GRPC == nil || p.Exec != nil || p.HTTPGet != nil || p.TCPSocket != nil:
			t.Errorf("sidecar %s probe is not a gRPC probe: %+v", name, p.ProbeHandler)
		case p.GRPC.Port != grpcPort:
			t.Errorf("sidecar %s probe dials port %d, the proxy listens on %d", name, p.GRPC.Port, grpcPort)
		}
	}

	// Store credentials come from the Secret, never as literal values.
	for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
		checkContainer(t, "Deployment/productservice", pod, &c, r)
	}
	for _, v := range []string{"PG_DSN", "MONGO_URI"} {
		if e := env(proxy, v); e == nil || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("sidecar env %s is not taken from a Secret", v)
		}
	}
	checkPod(t, "Deployment/productservice", pod)
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the pod mounts a service account token it does not need")
	}

	// The Service selects these pods and names ports that exist; it does not expose the proxy's gRPC.
	svc := r.services["productservice"]
	if svc == nil {
		t.Fatalf("no Service productservice in %v", keys(r.services))
	}
	for k, v := range svc.Spec.Selector {
		if dep.Spec.Template.Labels[k] != v {
			t.Errorf("Service selector %s=%s does not match the pod labels %v", k, v, dep.Spec.Template.Labels)
		}
	}
	for _, p := range svc.Spec.Ports {
		if p.TargetPort.StrVal == "grpc" || p.TargetPort.IntVal == grpcPort {
			t.Errorf("Service port %s exposes the proxy's gRPC port", p.Name)
		}
		if p.TargetPort.StrVal != "" && !anyPort(pod, p.TargetPort.StrVal) {
			t.Errorf("Service port %s targets %q, which no container names", p.Name, p.TargetPort.StrVal)
		}
	}
	for name, np := range r.networkPolicies {
		for _, rule := range np.Spec.Ingress {
			for _, p := range rule.Ports {
				if p.Port != nil && (p.Port.StrVal == "grpc" || p.Port.IntVal == grpcPort) {
					t.Errorf("NetworkPolicy %s admits other pods to the proxy's gRPC port", name)
				}
			}
		}
	}
}

func TestBackfillKustomization(t *testing.T) {
	service := render(t, ".") // the Job uses the ConfigMap and Secret that the service kustomization creates
	r := render(t, "backfill")
	if len(r.jobs) != 1 {
		t.Fatalf("want one Job, got %v", keys(r.jobs))
	}
	for name, job := range r.jobs {
		where := "Job/" + name
		spec := &job.Spec
		if mode := spec.CompletionMode; mode == nil || *mode != batchv1.IndexedCompletion {
			t.Errorf("%s completionMode is not Indexed (one segment per completion index)", where)
		}
		if spec.Completions == nil || spec.Parallelism == nil || *spec.Parallelism < 1 ||
			*spec.Parallelism > *spec.Completions {
			t.Fatalf("%s: completions %v, parallelism %v", where, spec.Completions, spec.Parallelism)
		}
		pod := &spec.Template.Spec
		if pod.RestartPolicy != corev1.RestartPolicyNever {
			t.Errorf("%s restartPolicy %s, want Never (retries are per index)", where, pod.RestartPolicy)
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("%s: want one container", where)
		}
		c := &pod.Containers[0]
		segments := strconv.Itoa(int(*spec.Completions))
		wantCmd := []string{"dataaccess", "backfill", "product", "--segments", segments, "--segment",
			"$(JOB_COMPLETION_INDEX)"}
		if got := append(slices.Clone(c.Command), c.Args...); !slices.Equal(got, wantCmd) {
			t.Errorf("%s runs %q, want %q (one segment per completion index)", where, got, wantCmd)
		}
		if e := env(c, "DATAACCESS_CONFIG"); e == nil || mountFor(pod, c, rulesConfigMap) == nil ||
			e.Value != path.Join(mountFor(pod, c, rulesConfigMap).MountPath, rulesFile) {
			t.Errorf("%s: DATAACCESS_CONFIG does not name rules.yaml in the mounted ConfigMap", where)
		}
		checkContainer(t, where, pod, c, service)
		checkPod(t, where, pod)
	}
}

var reference = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// checkContainer: the restricted securityContext, requests and limits, no subPath, every $(VAR) in the
// command line defined, every Secret and ConfigMap it uses rendered (by `from`) with the keys it reads.
func checkContainer(t *testing.T, where string, pod *corev1.PodSpec, c *corev1.Container, from *rendered) {
	t.Helper()
	where += " container " + c.Name
	sc, psc := c.SecurityContext, pod.SecurityContext
	if sc == nil {
		t.Errorf("%s: no securityContext", where)
		return
	}
	nonRoot := (sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) || (psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot)
	if !nonRoot || (sc.RunAsUser != nil && *sc.RunAsUser == 0) {
		t.Errorf("%s: not runAsNonRoot", where)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: root filesystem is writable", where)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation is not false", where)
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Errorf("%s: privileged", where)
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
		t.Errorf("%s: capabilities must drop ALL and add none: %+v", where, sc.Capabilities)
	}
	seccomp := sc.SeccompProfile
	if seccomp == nil && psc != nil {
		seccomp = psc.SeccompProfile
	}
	if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("%s: seccompProfile is not RuntimeDefault", where)
	}
	for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, hasReq := c.Resources.Requests[res]
		lim, hasLim := c.Resources.Limits[res]
		if !hasReq || !hasLim {
			t.Errorf("%s: no %s request and limit", where, res)
		} else if req.Cmp(lim) > 0 {
			t.Errorf("%s: %s request %s above its limit %s", where, res, req.String(), lim.String())
		}
	}
	for _, m := range c.VolumeMounts {
		if m.SubPath != "" || m.SubPathExpr != "" {
			t.Errorf("%s: volume %s mounted with subPath", where, m.Name)
		}
	}
	for _, arg := range append(slices.Clone(c.Command), c.Args...) {
		for _, m := range reference.FindAllStringSubmatch(arg, -1) {
			if env(c, m[1]) == nil {
				t.Errorf("%s: %s refers to $(%s), which its env does not define", where, arg, m[1])
			}
		}
	}
	for _, e := range c.Env {
		if ref := e.ValueFrom; ref != nil && ref.SecretKeyRef != nil {
			s := from.secrets[ref.SecretKeyRef.Name]
			if s == nil {
				t.Errorf("%s: env %s reads Secret %s, which is not rendered (have %v)", where, e.Name,
					ref.SecretKeyRef.Name, keys(from.secrets))
			} else if _, ok := s.Data[ref.SecretKeyRef.Key]; !ok {
				t.Errorf("%s: env %s reads key %s, which Secret %s lacks", where, e.Name, ref.SecretKeyRef.Key, s.Name)
			}
		}
		if e.Value != "" && regexp.MustCompile(`(?i)(dsn|uri|password|secret|token)`).MatchString(e.Name) {
			t.Errorf("%s: env %s has a literal value; secrets come from a Secret", where, e.Name)
		}
	}
	for _, v := range pod.Volumes {
		if v.ConfigMap != nil && from.configMaps[v.ConfigMap.Name] == nil {
			t.Errorf("%s: volume %s uses ConfigMap %s, which is not rendered", where, v.Name, v.ConfigMap.Name)
		}
	}
}

func checkPod(t *testing.T, where string, pod *corev1.PodSpec) {
	t.Helper()
	if pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Errorf("%s: the pod securityContext does not set runAsNonRoot", where)
	}
	if pod.HostNetwork || pod.HostPID || pod.HostIPC {
		t.Errorf("%s: shares a host namespace", where)
	}
	for _, v := range pod.Volumes {
		if v.HostPath != nil {
			t.Errorf("%s: hostPath volume %s", where, v.Name)
		}
	}
}

func container(cs []corev1.Container, name string) *corev1.Container {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

// mountFor is c's mount of the pod volume backed by ConfigMap cm, if any.
func mountFor(pod *corev1.PodSpec, c *corev1.Container, cm string) *corev1.VolumeMount {
	for _, v := range pod.Volumes {
		if v.ConfigMap == nil || v.ConfigMap.Name != cm {
			continue
		}
		for i := range c.VolumeMounts {
			if c.VolumeMounts[i].Name == v.Name {
				return &c.VolumeMounts[i]
			}
		}
	}
	return nil
}

// flag is the value of --name=value or --name value in args.
func flag(args []string, name string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func env(c *corev1.Container, name string) *corev1.EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

func containerPort(c *corev1.Container, name string) int32 {
	for _, p := range c.Ports {
		if p.Name == name {
			return p.ContainerPort
		}
	}
	return 0
}

func anyPort(pod *corev1.PodSpec, name string) bool {
	for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
		if containerPort(&c, name) != 0 {
			return true
		}
	}
	return false
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
