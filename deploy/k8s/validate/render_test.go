package validate

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// rendered is one kustomization's output, every object strictly decoded into its API type.
type rendered struct {
	deployments     map[string]*appsv1.Deployment
	services        map[string]*corev1.Service
	configMaps      map[string]*corev1.ConfigMap
	secrets         map[string]*corev1.Secret
	networkPolicies map[string]*networkingv1.NetworkPolicy
	jobs            map[string]*batchv1.Job
}

// render runs kustomize (as `kustomize build` does) on deploy/k8s/<dir> and decodes what it emits.
// A kind this package does not know, or any field the API type lacks, fails the test: a typo such as
// `restartpolicy:` or a field at the wrong level must not pass silently.
func render(t *testing.T, dir string) *rendered {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", dir))
	if err != nil {
		t.Fatal(err)
	}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), path)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", path, err)
	}
	out := &rendered{
		deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{},
		configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{},
		networkPolicies: map[string]*networkingv1.NetworkPolicy{}, jobs: map[string]*batchv1.Job{},
	}
	if len(resources.Resources()) == 0 {
		t.Fatalf("kustomize build %s: no objects", path)
	}
	for _, r := range resources.Resources() {
		doc, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		name := r.GetName()
		where := fmt.Sprintf("%s %s/%s", dir, r.GetKind(), name)
		switch gvk := r.GetApiVersion() + " " + r.GetKind(); gvk {
		case "apps/v1 Deployment":
			out.deployments[name] = strict[appsv1.Deployment](t, where, doc)
		case "v1 Service":
			out.services[name] = strict[corev1.Service](t, where, doc)
		case "v1 ConfigMap":
			out.configMaps[name] = strict[corev1.ConfigMap](t, where, doc)
		case "v1 Secret":
			out.secrets[name] = strict[corev1.Secret](t, where, doc)
		case "networking.k8s.io/v1 NetworkPolicy":
			out.networkPolicies[name] = strict[networkingv1.NetworkPolicy](t, where, doc)
		case "batch/v1 Job":
			out.jobs[name] = strict[batchv1.Job](t, where, doc)
		default:
			t.Errorf("%s: %q is not a kind these tests check; add it to render()", where, gvk)
		}
	}
	return out
}

// strict decodes YAML into T the way the API server does: YAML (no duplicate keys) to JSON, then
// case-sensitive JSON that rejects unknown and duplicate fields and malformed values (quantities,
// int-or-string ports, base64 Secret data). yaml.UnmarshalStrict alone is not enough: encoding/json
// matches field names case-insensitively, so `restartpolicy:` would pass as restartPolicy there and be
// dropped by a real cluster.
func strict[T any](t *testing.T, where string, doc []byte) *T {
	t.Helper()
	obj := new(T)
	if err := decodeStrict(doc, obj); err != nil {
		t.Errorf("%s does not decode strictly: %v\n%s", where, err, doc)
	}
	return obj
}

func decodeStrict(doc []byte, obj any) error {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	strictErrs, err := json.UnmarshalStrict(js, obj, json.DisallowDuplicateFields, json.DisallowUnknownFields)
	if err != nil {
		return err
	}
	if len(strictErrs) > 0 {
		return fmt.Errorf("%v", strictErrs)
	}
	return nil
}

// TestStrictDecodingRejectsUnknownFields proves the decoder above is strict, so the tests that use
// it mean something.
func TestStrictDecodingRejectsUnknownFields(t *testing.T) {
	good := "apiVersion: v1\nkind: Pod\nspec:\n  initContainers:\n  - name: x\n    restartPolicy: Always\n"
	var pod corev1.Pod
	if err := decodeStrict([]byte(good), &pod); err != nil || *pod.Spec.InitContainers[0].RestartPolicy != "Always" {
		t.Fatalf("a valid Pod: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(good, "restartPolicy", "restartpolicy", 1),                      // wrong case
		strings.Replace(good, "restartPolicy", "restartPolicyy", 1),                     // unknown
		strings.Replace(good, "    restartPolicy", "    name: y\n    restartPolicy", 1), // duplicate
		strings.Replace(good, "name: x", "name: [x]", 1),                                // wrong type
	} {
		if err := decodeStrict([]byte(bad), new(corev1.Pod)); err == nil {
			t.Errorf("decoded without error:\n%s", bad)
		}
	}
}
