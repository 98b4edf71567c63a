package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/kassa-pos/kassa/pos"
	"github.com/kassa-pos/kassa/pos/catalog"
	"github.com/kassa-pos/kassa/sync/hub"
	"github.com/kassa-pos/kassa/sync/hub/commerceml"
	"github.com/kassa-pos/kassa/sync/wire"
)

// catalogImport loads a store's catalog from the till's CSV format (pos/catalog) or from 1C's CommerceML
// import.xml + offers.xml. A complete file replaces the catalog (products missing from it are deleted);
// --delta, or a CommerceML exchange marked СодержитТолькоИзменения, only adds and changes.
func catalogImport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("catalog import", stderr)
	store := fl.String("store", "", "store whose catalog this is (required)")
	format := fl.String("format", "csv", "csv (the till's catalog file) or commerceml (1C: import.xml offers.xml)")
	delta := fl.Bool("delta", false, "the file lists changes only: keep products it does not mention")
	priceType := fl.String("price-type", "", "commerceml: ТипЦены (Ид or name) of the till price; default the first")
	onlineType := fl.String("online-price-type", "", "commerceml: ТипЦены of the online price; default the till price")
	defaultVAT := fl.String("default-vat", "", "commerceml: VAT rate for goods without СтавкиНалогов (22, 10, 0, none …)")
	if err := parseArgs(fl, args); err != nil {
		return err
	}
	files := fl.Args()
	if *store == "" {
		return fmt.Errorf("%w: catalog import needs --store", errUsage)
	}
	switch {
	case *format == "csv" && len(files) != 1:
		return fmt.Errorf("%w: catalog import --format csv takes one FILE.csv", errUsage)
	case *format == "commerceml" && len(files) != 2:
		return fmt.Errorf("%w: catalog import --format commerceml takes import.xml and offers.xml", errUsage)
	case *format != "csv" && *format != "commerceml":
		return fmt.Errorf("%w: --format must be csv or commerceml, not %q", errUsage, *format)
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	if err := cfg.knowsStore(*store); err != nil {
		return err
	}

	var products []wire.Product
	var offers []wire.Offer
	var deleted []string
	full := !*delta
	if *format == "csv" {
		if products, err = readCatalogCSV(files[0]); err != nil {
			return err
		}
	} else {
		res, err := readCommerceML(files[0], files[1], commerceml.MergeOptions{PriceType: *priceType,
			OnlinePriceType: *onlineType, DefaultVAT: *defaultVAT})
		if err != nil {
			return err
		}
		for _, w := range res.Warnings {
			fmt.Fprintln(stderr, "kassahub: skipped:", w)
		}
		products, offers, deleted, full = res.Products, res.Offers, res.Deleted, full && res.Full
	}

	st, err := openData(cfg, true)
	if err != nil {
		return err
	}
	defer closeData(st, &err)
	stats, err := st.ImportCatalog(ctx, *store, products, full)
	if err != nil {
		return err
	}
	gone, err := st.DeleteProducts(ctx, *store, deleted)
	if err != nil {
		return err
	}
	stats.Deleted += gone
	fmt.Fprintf(stdout, "catalog of %s: %d added, %d changed, %d deleted, %d unchanged\n", *store,
		stats.Added, stats.Changed, stats.Deleted, stats.Unchanged)
	if *format == "commerceml" {
		ost, err := st.ImportOffers(ctx, *store, offers, full)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "offers of %s: %d added, %d changed, %d deleted, %d unchanged\n", *store,
			ost.Added, ost.Changed, ost.Deleted, ost.Unchanged)
	}
	return nil
}

func readCatalogCSV(path string) ([]wire.Product, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps, err := catalog.ReadCSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]wire.Product, len(ps))
	for i, p := range ps {
		out[i] = wireProduct(p)
	}
	return out, nil
}

// wireProduct is a catalog product as the catalog feed carries it.
func wireProduct(p pos.Product) wire.Product {
	unit := "pcs"
	if p.Unit == pos.UnitKg {
		unit = "kg"
	}
	return wire.Product{ID: p.ID, Name: p.Name, Barcodes: p.Barcodes, PLU: p.PLU, Price: int64(p.Price),
		VAT: p.VAT.Code(), Unit: unit, Marked: p.Marked, AgeLimit: p.AgeLimit}
}

func readCommerceML(importPath, offersPath string, opt commerceml.MergeOptions) (commerceml.Result, error) {
	f, err := os.Open(importPath)
	if err != nil {
		return commerceml.Result{}, err
	}
	defer f.Close()
	cat, err := commerceml.ReadImport(f)
	if err != nil {
		return commerceml.Result{}, fmt.Errorf("%s: %w", importPath, err)
	}
	g, err := os.Open(offersPath)
	if err != nil {
		return commerceml.Result{}, err
	}
	defer g.Close()
	off, err := commerceml.ReadOffers(g)
	if err != nil {
		return commerceml.Result{}, fmt.Errorf("%s: %w", offersPath, err)
	}
	return commerceml.Merge(cat, off, opt)
}

// customersImport loads loyalty customers from a CRM export (hub.CustomersHeader). Phones are hashed with
// the config's customers.phone_key and names masked before anything is stored.
func customersImport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fl, com := newFlags("customers import", stderr)
	full := fl.Bool("full", false, "the file lists every customer: delete the ones it does not mention")
	if err := parseArgs(fl, args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return fmt.Errorf("%w: customers import takes one FILE.csv", errUsage)
	}
	cfg, err := com.load()
	if err != nil {
		return err
	}
	key := cfg.pickupOptions().PhoneKey
	if key == nil {
		return fmt.Errorf("customers import needs customers.phone_key in the --config file: phones are stored only hashed")
	}
	f, err := os.Open(fl.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := hub.ReadCustomersCSV(f, key)
	if err != nil {
		return fmt.Errorf("%s: %w", fl.Arg(0), err)
	}
	st, err := openData(cfg, true)
	if err != nil {
		return err
	}
	defer closeData(st, &err)
	stats, err := st.ImportCustomers(ctx, list, *full)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "customers: %d added, %d changed, %d deleted, %d unchanged\n",
		stats.Added, stats.Changed, stats.Deleted, stats.Unchanged)
	return err
}
