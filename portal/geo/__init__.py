"""Administrative geography: provinces, communes, hamlets (models, the national list, hamlet files). The pages are
in `portal.communes`."""
