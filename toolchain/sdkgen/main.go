// Command pulumi-flink-sdkgen writes the Go or Node.js SDK of a Pulumi package
// from its schema, with the generators of github.com/pulumi/pulumi/pkg/v3.
//
//	pulumi-flink-sdkgen go|nodejs SCHEMA.json OUT_DIR
//
// `pulumi package gen-sdk` and `pulumi package add` ask the language's host
// plugin to generate; the Go module proxy refuses the Go and Node.js host
// modules, but serves the generators themselves. This program binds the
// schema as `pulumi package add` does (dangling references allowed,
// SupportPack on) and calls the generator those hosts call.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-flink-sdkgen"

// noPackages resolves no other package: the schemas we generate from stand alone.
type noPackages struct{}

var errStandalone = errors.New("this schema may not reference other packages")

func (noPackages) LoadPackage(string, *semver.Version) (*schema.Package, error) {
	return nil, errStandalone
}

func (noPackages) LoadPackageV2(context.Context, *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, errStandalone
}

func (noPackages) LoadPackageReference(string, *semver.Version) (schema.PackageReference, error) {
	return nil, errStandalone
}

func (noPackages) LoadPackageReferenceV2(
	context.Context, *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, errStandalone
}

func generate(language, schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	loader := noPackages{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s: %w", schemaPath, diags)
	}
	pkg.SupportPack = true

	var files map[string][]byte
	switch language {
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, true, loader)
	default:
		return fmt.Errorf("unknown language %q: use go or nodejs", language)
	}
	if err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%s: wrote the %s SDK of %s %s (%d files) to %s\n", tool, language, pkg.Name, pkg.Version, len(files), out)
	return nil
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: pulumi-flink-sdkgen go|nodejs SCHEMA.json OUT_DIR")
		os.Exit(2)
	}
	if err := generate(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", tool, err)
		os.Exit(1)
	}
}
