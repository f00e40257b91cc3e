"""Monitoring pages of one assessment, under /assessments/ (the board and the portfolio
are site-wide: `site_urlpatterns`, included at the root)."""

from django.urls import path

from assessments.monitoring import portfolio_views, views

urlpatterns = [
    path("<int:pk>/monitoring/", views.monitoring, name="monitoring"),
    path("<int:pk>/indicators/<int:iid>/readings/", views.readings, name="readings"),
    path("<int:pk>/reassess/", views.reassess, name="reassess"),
]

site_urlpatterns = [
    path("early-warning/", views.early_warning, name="early_warning"),
    path("portfolio/", portfolio_views.portfolio, name="portfolio"),
    path("portfolio.csv", portfolio_views.portfolio_csv, name="portfolio_csv"),
    path("portfolio.xlsx", portfolio_views.portfolio_xlsx, name="portfolio_xlsx"),
]
