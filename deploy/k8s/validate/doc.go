// Package validate holds the tests that render deploy/k8s with kustomize and check every object
// against the Kubernetes API types (unknown fields are errors) and the sidecar's invariants.
package validate
